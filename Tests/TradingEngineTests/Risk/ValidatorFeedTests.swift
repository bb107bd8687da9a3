import Testing
import TradingEngine
import TradingModel

/// The validator fed the way the kernel feeds it: 5-minute candles, signals, then the backtest's
/// rejection analysis.
@Suite("Validator fed with 5-minute candles, with the backtest rejection analysis")
struct ValidatorFeedTests {
    static func smallSettings() -> ValidationSettings {
        var settings = ValidationSettings()
        settings.trend.fastPeriod = 3
        settings.trend.slowPeriod = 8
        settings.trend.slopeLookback = 2
        settings.regime.adxPeriod = 3
        settings.regime.volatilityWindow = 4
        settings.regime.volatilityLookback = 6
        return settings
    }

    /// 5m candles rising 0.05% each (≈ +0.6% per hour), for `hours` hours from the fixture start.
    static func fiveMinuteCandles(hours: Int, start: Double = 10) -> [Candle] {
        var candles: [Candle] = []
        var close = start
        for index in 0..<(hours * 12) {
            let open = close
            close = open * (index % 3 == 2 ? 0.9995 : 1.001)
            candles.append(Candle(openTime: RiskFixtures.start.advanced(by: .seconds(Int64(index) * 300)), open: RiskFixtures.price(open),
                                  high: RiskFixtures.price(max(open, close) * 1.0005), low: RiskFixtures.price(min(open, close) * 0.9995),
                                  close: RiskFixtures.price(close), volume: Quantity(units: 5)))
        }
        return candles
    }

    @Test("hourly trend built from 5m candles rejects a SHORT in the uptrend; the analysis renders it with its counterfactual")
    func fiveMinuteFeed() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var validator = PreTradeValidator(settings: Self.smallSettings(), planner: RiskFixedStopPlanner())
        var analysis = RejectionAnalysis(feeRate: Rate("0.0004")!)
        let candles = Self.fiveMinuteCandles(hours: 14)
        let signalIndex = 12 * 12 - 1  // the 5m candle that closes hour 12
        for (index, candle) in candles.enumerated() {
            let event = MarketEvent.candle("ATOMUSDT", candle, interval: .seconds(300))
            validator.observe(event)
            analysis.observe(event)
            guard index == signalIndex else { continue }
            #expect(validator.histories["ATOMUSDT"]?.hourlyBars.count == 12)
            let time = event.time
            let decision = judged(validator.evaluate(RiskFixtures.signal("ATOMUSDT", .short, confidence: 0.9, time: time),
                                              context: RiskFixtures.context(RiskFixtures.atom, price: candle.close, time: time)), into: &lastReport, risk: &riskActions)
            #expect(!decision.isApproved)
            let report = try #require(lastReport)
            #expect(report.trend?.direction == .up)
            #expect(report.reasons.map(\.kind) == ["against_trend"])
            analysis.record(report)
        }
        analysis.finish(at: candles.last!.openTime.advanced(by: .seconds(300)))
        // the rejected SHORT would have been stopped out by the continuing rise (+1.2% in about two hours)
        let trade = try #require(analysis.counterfactuals.closedTrades.first)
        #expect(trade.slices.map(\.reason) == [.stopLoss])
        #expect(trade.netPnL(feeRate: Rate("0.0004")!).isNegative)
        let text = analysis.render()
        #expect(text.hasPrefix("signals evaluated 1, taken 0, rejected 1"))
        #expect(text.contains("against_trend"))
    }
}
