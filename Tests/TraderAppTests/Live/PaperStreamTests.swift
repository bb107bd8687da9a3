import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A scripted market stream: per 1 m bar, trades at the open, the extremes and the close, then
/// the closed kline, as Binance's streams deliver them.
struct ScriptedMarketFeed: MarketDataFeed {
    let events: [MarketEvent]
    func events(symbols: [Symbol]) -> AsyncThrowingStream<MarketEvent, any Error> {
        let events = self.events
        return AsyncThrowingStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
    }

    /// A zigzag: ten bars up 1% each, ten bars down 1% each, repeated `cycles` times, from 10.
    static func zigzag(cycles: Int, start: Timestamp) -> ScriptedMarketFeed {
        var events: [MarketEvent] = []
        var price = 10.0
        func trade(_ value: Double, _ time: Timestamp) -> MarketEvent {
            .trade(Trade(symbol: "LINKUSDT", price: Price(String(format: "%.4f", value))!, quantity: Quantity(units: 1),
                                buyerIsMaker: false, tradeTime: time, receiveTime: time))
        }
        for bar in 0..<(cycles * 20) {
            let open = price
            price *= (bar / 10) % 2 == 0 ? 1.01 : 0.99
            let openTime = start.advanced(by: .seconds(60 * Int64(bar)))
            let (low, high) = (min(open, price) * 0.999, max(open, price) * 1.001)
            events.append(trade(open, openTime))
            events.append(trade(low, openTime.advanced(by: .seconds(20))))
            events.append(trade(high, openTime.advanced(by: .seconds(40))))
            events.append(trade(price, openTime.advanced(by: .seconds(59))))
            let candle = Candle(openTime: openTime, open: Price(String(format: "%.4f", open))!, high: Price(String(format: "%.4f", high))!,
                                low: Price(String(format: "%.4f", low))!, close: Price(String(format: "%.4f", price))!, volume: Quantity(units: 100))
            events.append(.candle("LINKUSDT", candle, interval: .seconds(60)))
        }
        return ScriptedMarketFeed(events: events)
    }
}

@Suite("Paper trading on a market stream (qt paper --venue) with a scripted feed")
struct PaperStreamTests {
    @Test("ema-cross on a zigzag: entries after crosses, stops fill at the market after the crossing, all recorded as a paper run")
    func zigzagStream() async throws {
        let config = try AppConfig.load(path: BacktestConfigTests.root + "/examples/ema-cross.toml")
        let start = Timestamp(milliseconds: 1_770_000_000_000)
        let clock = ManualClock(start)
        let store = InMemoryTradeStore()
        let result = try await PaperRunner.run(config: config, symbols: ["LINKUSDT"], feed: ScriptedMarketFeed.zigzag(cycles: 6, start: start),
                                               barInterval: .seconds(60), clock: clock, eventClock: clock, timerInterval: nil, store: store,
                                               alerting: NoAlerting())
        #expect(result.trades.count >= 4)
        #expect(result.trades.allSatisfy { [.stopLoss, .takeProfit, .reversal].contains($0.exitReason) })
        // The stream ended with a position open: it is not closed (its backstop protects it), a person is told.
        #expect(result.alerts.contains { $0.kind == "runtime.market_data_ended" })
        #expect(result.trades.contains { $0.exitReason == .takeProfit })
        for trade in result.trades where trade.exitReason == .stopLoss {
            // A stop closes at a traded price at or beyond the 1.2% level (never better than it).
            let move = trade.exitPrice.relativeChange(from: trade.entryPrice, .nearest)
            #expect(trade.side == .long ? move <= Rate("-0.012")! : move >= Rate("0.012")!)
        }
        #expect(try store.trades(runID: result.runID).count == result.trades.count)
        #expect(try store.runs().first?.kind == .paper)
    }
}
