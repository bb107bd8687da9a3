import Backtest
import Testing
import TradingEngine
import TradingModel

/// The `ema-cross` reference strategy through the full kernel + simulated exchange, checked
/// against a plain loop written only for this test (Doubles, no engine code) on real data.
@Suite struct ReferenceStrategyParityTests {
    struct PlainTrade: Equatable {
        var side: Side
        var entryTime: Int64
        var exitTime: Int64
        var entryPrice: Double
        var exitPrice: Double
        var reason: String
        var netPnL: Double
    }

    /// Straightforward implementation of issue 4's `ema-cross` definition.
    static func plainLoop(_ candles: [Candle]) -> [PlainTrade] {
        let fee = 0.0004, notional = 1000.0, stopMove = 0.012, targetMove = 0.0186
        let fastAlpha = 2.0 / 13.0, slowAlpha = 2.0 / 27.0
        func round8(_ value: Double) -> Double { (value * 1e8).rounded() / 1e8 }
        struct Open { var side: Side; var entry: Double; var quantity: Double; var time: Int64; var index: Int; var stop: Double; var target: Double }
        var position: Open?
        var pending: Side?
        var fast = 0.0, slow = 0.0
        var trades: [PlainTrade] = []
        func close(_ open: Open, at price: Double, time: Int64, reason: String) {
            let sign = open.side == .long ? 1.0 : -1.0
            let gross = sign * (price - open.entry) * open.quantity
            let fees = open.entry * open.quantity * fee + price * open.quantity * fee
            trades.append(PlainTrade(side: open.side, entryTime: open.time, exitTime: time, entryPrice: open.entry,
                                     exitPrice: price, reason: reason, netPnL: gross - fees))
        }
        for (index, candle) in candles.enumerated() {
            let open = candle.open.doubleValue, high = candle.high.doubleValue, low = candle.low.doubleValue, closePrice = candle.close.doubleValue
            let time = candle.openTime.milliseconds
            if let target = pending {
                pending = nil
                if let current = position, current.side != target {
                    close(current, at: open, time: time, reason: "reversal")
                    position = nil
                }
                if position == nil {
                    let sign = target == .long ? 1.0 : -1.0
                    position = Open(side: target, entry: open, quantity: notional / open, time: time, index: index,
                                    stop: round8(open * (1 - sign * stopMove)), target: round8(open * (1 + sign * targetMove)))
                }
            }
            if let current = position, index > current.index {
                var exit: (Double, String)?
                if current.side == .long {
                    if open <= current.stop { exit = (open, "stop_loss") }
                    else if open >= current.target { exit = (open, "take_profit") }
                    else if low <= current.stop { exit = (current.stop, "stop_loss") }
                    else if high >= current.target { exit = (current.target, "take_profit") }
                } else {
                    if open >= current.stop { exit = (open, "stop_loss") }
                    else if open <= current.target { exit = (open, "take_profit") }
                    else if high >= current.stop { exit = (current.stop, "stop_loss") }
                    else if low <= current.target { exit = (current.target, "take_profit") }
                }
                if let (price, reason) = exit {
                    close(current, at: price, time: time, reason: reason)
                    position = nil
                }
            }
            if index == 0 {
                fast = closePrice
                slow = closePrice
            } else {
                let previousFast = fast, previousSlow = slow
                fast = fastAlpha * closePrice + (1 - fastAlpha) * fast
                slow = slowAlpha * closePrice + (1 - slowAlpha) * slow
                if previousFast <= previousSlow && fast > slow { pending = .long }
                if previousFast >= previousSlow && fast < slow { pending = .short }
            }
        }
        if let current = position, let last = candles.last {
            close(current, at: last.close.doubleValue, time: last.openTime.milliseconds + 60_000, reason: "end_of_data")
        }
        return trades
    }

    @Test func sameTradesAndPnLToTheCentAsAPlainLoop() throws {
        let candles = BundledData.linkCandles
        #expect(candles.count > 35_000)
        let link = try #require(BundledInstruments.instrument("LINKUSDT"))
        let output = EMACrossBacktest.run(candles: candles, instrument: link, interval: .seconds(60), settings: .reference)
        let expected = Self.plainLoop(candles)
        #expect(expected.count > 100)
        #expect(output.trades.count == expected.count)
        #expect(output.alerts.isEmpty)
        var engineTotal = 0.0, plainTotal = 0.0
        for (trade, plain) in zip(output.trades, expected) {
            #expect(trade.side == plain.side)
            #expect(trade.entryTime.milliseconds == plain.entryTime)
            // Protective exits happen inside the bar (path time); compare the bar.
            #expect(trade.exitTime.milliseconds / 60_000 == plain.exitTime / 60_000 || trade.exitReason == .endOfData)
            #expect(trade.exitReason.rawValue == plain.reason)
            #expect(abs(trade.entryPrice.doubleValue - plain.entryPrice) < 1e-9)
            #expect(abs(trade.exitPrice.doubleValue - plain.exitPrice) < 1e-7)
            #expect(abs(trade.netPnL.doubleValue - plain.netPnL) < 0.005, "trade at \(trade.entryTime): \(trade.netPnL) vs \(plain.netPnL)")
            engineTotal += trade.netPnL.doubleValue
            plainTotal += plain.netPnL
        }
        #expect(abs(engineTotal - plainTotal) < 0.01, "net \(engineTotal) vs plain \(plainTotal)")
        // The wallet moved by exactly the sum of the trades' net PnL (no funding in the reference).
        let net = output.trades.reduce(Money.zero) { $0 + $1.netPnL }
        #expect(output.walletBalance == Money(units: 10_000) + net)
        // All three exit kinds occur on this month, so the comparison exercises each rule.
        let reasons = Set(output.trades.map(\.exitReason))
        #expect(reasons.isSuperset(of: [.stopLoss, .takeProfit, .reversal]))
    }
}
