import Testing
import TradingEngine
import TradingModel

@Suite("Counterfactual returns of rejected signals")
struct CounterfactualTrackerTests {
    let t0 = RiskFixtures.start
    let fee = Rate("0.0004")!

    /// LONG 100 ATOM at 10.000, stop 9.880 (−1.2%), targets 10.120 (50) and 10.240 (50).
    var longPlan: ExitPlan {
        ExitPlan(symbol: "ATOMUSDT", side: .long, entryPrice: Price("10")!, quantity: Quantity(units: 100), leverage: 3,
                 stopPrice: Price("9.88")!, stopMove: Rate("0.012")!,
                 targets: [ExitTarget(price: Price("10.12")!, quantity: Quantity(units: 50), priceMove: Rate("0.012")!),
                           ExitTarget(price: Price("10.24")!, quantity: Quantity(units: 50), priceMove: Rate("0.024")!)],
                 backstopPrice: Price("9.85")!, liquidationPrice: Price("6.8")!)
    }

    /// SHORT 10 LINK at 20.00, stop 20.24, one target 19.76 for all 10.
    var shortPlan: ExitPlan {
        ExitPlan(symbol: "LINKUSDT", side: .short, entryPrice: Price("20")!, quantity: Quantity(units: 10), leverage: 2,
                 stopPrice: Price("20.24")!, stopMove: Rate("0.012")!,
                 targets: [ExitTarget(price: Price("19.76")!, quantity: Quantity(units: 10), priceMove: Rate("0.012")!)],
                 backstopPrice: Price("20.3")!, liquidationPrice: Price("29.8")!)
    }

    func bar(_ hour: Int64, _ open: String, _ high: String, _ low: String, _ close: String) -> MarketEvent {
        .candle("ATOMUSDT", Candle(openTime: t0.advanced(by: .seconds(hour * 3600)), open: Price(open)!, high: Price(high)!, low: Price(low)!,
                                   close: Price(close)!, volume: Quantity(units: 1)), interval: .seconds(3600))
    }

    func mark(_ second: Int64, _ price: String) -> MarketEvent {
        .markPrice(MarkPrice(symbol: "LINKUSDT", price: Price(price)!, eventTime: t0.advanced(by: .seconds(second)), receiveTime: t0.advanced(by: .seconds(second))))
    }

    @Test("stop-first simulation with hand-computed net returns, aggregated by reason")
    func handComputed() throws {
        var tracker = CounterfactualTracker(feeRate: fee)
        let confidence = RejectionReason.confidenceBelowThreshold(0.72, required: 0.8)
        let trend = RejectionReason.againstTrend(.long, .down, emaFast: 9.9, emaSlow: 10.1, slope: -0.001)
        tracker.track(signal: RiskFixtures.signal("ATOMUSDT", .long, confidence: 0.72, time: t0), reasons: [confidence, trend], plan: longPlan, time: t0)
        tracker.track(signal: RiskFixtures.signal("LINKUSDT", .short, confidence: 0.7, time: t0), reasons: [confidence], plan: shortPlan, time: t0)

        // Bar 0: low 9.95 > stop, high 10.15 ≥ 10.12 → 50 ATOM closed at 10.12: +50 × 0.12 = +6
        tracker.observe(bar(0, "10", "10.15", "9.95", "10.1"))
        // Bar 1: both the stop (low 9.85) and target 2 (high 10.30) inside the bar → stop first: 50 at 9.88: −6
        tracker.observe(bar(1, "10.1", "10.3", "9.85", "10.2"))
        // LINK short: 19.90 touches nothing; 19.70 ≤ 19.76 → all 10 closed at the event price 19.70: +10 × 0.30 = +3
        tracker.observe(mark(60, "19.9"))
        tracker.observe(mark(120, "19.7"))
        #expect(tracker.openTrades.isEmpty)
        #expect(tracker.closedTrades.count == 2)

        let atom = try #require(tracker.closedTrades.first { $0.plan.symbol == "ATOMUSDT" })
        #expect(atom.slices.map(\.reason) == [.takeProfit1, .stopLoss])
        #expect(atom.grossPnL == .zero)
        // fees: entry 1000 × 0.0004 = 0.4; exits 506 × 0.0004 = 0.2024 and 494 × 0.0004 = 0.1976 → 0.8
        #expect(atom.fees(feeRate: fee) == Money("0.8")!)
        #expect(atom.netPnL(feeRate: fee) == Money("-0.8")!)
        // −0.8 / 1000 = −0.0008 (−0.08% of notional)
        #expect(abs(atom.netReturnOnNotional(feeRate: fee) - -0.0008) < 1e-12)

        let link = try #require(tracker.closedTrades.first { $0.plan.symbol == "LINKUSDT" })
        // gross +3; fees 200 × 0.0004 = 0.08 and 197 × 0.0004 = 0.0788 → net 3 − 0.1588 = 2.8412; / 200 = 0.014206
        #expect(link.netPnL(feeRate: fee) == Money("2.8412")!)
        #expect(abs(link.netReturnOnNotional(feeRate: fee) - 0.014206) < 1e-12)

        let summaries = Dictionary(uniqueKeysWithValues: tracker.summaries().map { ($0.reasonKind, $0) })
        let byConfidence = try #require(summaries["confidence_below_threshold"])
        #expect(byConfidence.count == 2 && byConfidence.wins == 1 && byConfidence.winRate == 0.5)
        // (−0.0008 + 0.014206) / 2 = 0.006703; total 0.013406; money −0.8 + 2.8412 = 2.0412
        #expect(abs(byConfidence.averageNetReturn - 0.006703) < 1e-12)
        #expect(abs(byConfidence.totalNetReturn - 0.013406) < 1e-12)
        #expect(byConfidence.totalNetPnL == Money("2.0412")!)
        let byTrend = try #require(summaries["against_trend"])
        #expect(byTrend.count == 1 && byTrend.wins == 0 && byTrend.totalNetPnL == Money("-0.8")!)
    }

    @Test("a bar that gaps below the stop fills at its open; prices before the signal are ignored; open trades close at the end")
    func gapsAndEnd() throws {
        var tracker = CounterfactualTracker(feeRate: .zero)
        tracker.track(signal: RiskFixtures.signal("ATOMUSDT", .long, confidence: 0.7, time: t0.advanced(by: .seconds(3600))),
                      reasons: [.confidenceBelowThreshold(0.7, required: 0.8)], plan: longPlan, time: t0.advanced(by: .seconds(3600)))
        tracker.observe(bar(0, "10", "10.5", "9", "10"))  // opened before the signal: ignored
        tracker.observe(bar(1, "9.8", "9.9", "9.7", "9.75"))  // opens below the 9.88 stop: fills at 9.80
        let trade = try #require(tracker.closedTrades.first)
        // 100 × (9.80 − 10) = −20
        #expect(trade.slices.map(\.price) == [Price("9.8")!] && trade.grossPnL == Money(units: -20))

        var open = CounterfactualTracker(feeRate: .zero)
        open.track(signal: RiskFixtures.signal("LINKUSDT", .short, confidence: 0.7, time: t0), reasons: [.maxOpenPositions(open: 3, limit: 3)],
                   plan: shortPlan, time: t0)
        open.observe(mark(60, "19.9"))
        open.finish(at: t0.advanced(by: .seconds(600)))
        // 10 × (20 − 19.9) = +1, closed at the last seen price
        #expect(open.closedTrades.first?.slices.map(\.reason) == [.endOfData])
        #expect(open.closedTrades.first?.grossPnL == Money(units: 1))
    }

    @Test("the rejection table counts taken and rejected signals by reason and renders the counterfactuals")
    func rejectionTable() {
        var table = RejectionTable()
        table.record(approved: true, reasonKinds: [])
        table.record(approved: false, reasonKinds: ["confidence_below_threshold", "against_trend"])
        table.record(approved: false, reasonKinds: ["confidence_below_threshold"])
        #expect(table.evaluated == 3 && table.taken == 1 && table.rejected == 2)
        #expect(table.rejectionsByReason == ["confidence_below_threshold": 2, "against_trend": 1])
        var tracker = CounterfactualTracker(feeRate: fee)
        tracker.track(signal: RiskFixtures.signal("LINKUSDT", .short, confidence: 0.7, time: t0),
                      reasons: [.confidenceBelowThreshold(0.7, required: 0.8)], plan: shortPlan, time: t0)
        tracker.observe(mark(120, "19.7"))
        let text = table.render(counterfactuals: tracker.summaries(), overall: tracker.overall())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "signals evaluated 3, taken 1, rejected 2")
        #expect(lines[2].hasPrefix("confidence_below_threshold") && lines[2].contains("100.0%") && lines[2].contains("1.42%"))
        #expect(lines[3].hasPrefix("against_trend") && lines[3].hasSuffix("-           -"))
        #expect(lines.count == 5)
    }
}
