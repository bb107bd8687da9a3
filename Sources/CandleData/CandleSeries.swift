import TradingModel

/// A whole kline file in memory: the candles in time order and the report.
public struct CandleSeries: Sendable, Hashable {
    public var candles: [Candle]
    public var report: CandleFileReport

    public init(candles: [Candle], report: CandleFileReport) {
        self.candles = candles
        self.report = report
    }
}
