import TradingEngine
import TradingModel

/// Market data from candle files (`qt paper --data`): every symbol's closed candles in open-time
/// order, as a kline stream would deliver them. Offline and deterministic.
struct CandleFileFeed: MarketDataFeed {
    let data: BacktestData

    func events(symbols: [Symbol]) -> AsyncThrowingStream<MarketEvent, any Error> {
        let data = self.data
        let wanted = Set(symbols)
        return AsyncThrowingStream { continuation in
            var cursor = data.makeCursor()
            while let (index, candle) = cursor.next() {
                let symbol = data.symbols[index]
                if wanted.isEmpty || wanted.contains(symbol) { continuation.yield(.candle(symbol, candle, interval: data.interval)) }
            }
            continuation.finish()
        }
    }
}
