import Testing
import TradingEngine
import TradingModel

/// The seed system shorted ATOMUSDT and LINKUSDT at 72% confidence into a rising market, both at
/// once. Here the same signals meet the validator.
@Suite("Seed scenario: weak SHORTs against an uptrend, correlated SHORTs")
struct SeedScenarioTests {
    static let bars = 260
    /// Shared hourly shocks make ATOM and LINK returns move together (correlation ≈ 0.9+).
    static let common = RiskFixtures.shocks(count: bars, size: 0.004, seed: 7)
    static let linkOwn = RiskFixtures.shocks(count: bars, size: 0.001, seed: 11)

    static func market(drift: Double) -> (atom: [Candle], link: [Candle]) {
        let atom = RiskFixtures.hourlyCandles(startPrice: 10.0, drift: drift, shocks: common)
        let link = RiskFixtures.hourlyCandles(startPrice: 15.0, drift: drift, shocks: zip(common, linkOwn).map { $0 + $1 })
        return (atom, link)
    }

    static func validator(drift: Double, settings: ValidationSettings = ValidationSettings()) -> (PreTradeValidator, Price, Price) {
        var validator = PreTradeValidator(settings: settings, planner: RiskFixedStopPlanner())
        let (atom, link) = market(drift: drift)
        RiskFixtures.feed(&validator, "ATOMUSDT", atom)
        RiskFixtures.feed(&validator, "LINKUSDT", link)
        return (validator, atom.last!.close, link.last!.close)
    }

    @Test("two SHORTs at 0.72 in a rising market are both rejected, each for confidence AND trend")
    func weakShortsAgainstUptrend() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, atomPrice, linkPrice) = Self.validator(drift: 0.0015)
        let time = RiskFixtures.closeTime(count: Self.bars)
        for (instrument, price) in [(RiskFixtures.atom, atomPrice), (RiskFixtures.link, linkPrice)] {
            let decision = judged(validator.evaluate(RiskFixtures.signal(instrument.symbol, .short, confidence: 0.72, time: time),
                                              context: RiskFixtures.context(instrument, price: price, time: time)), into: &lastReport, risk: &riskActions)
            guard case .rejected(_, let reasons) = decision else {
                Issue.record("a 0.72 SHORT into an uptrend was approved: \(decision)")
                continue
            }
            let report = try #require(lastReport)
            #expect(report.reasons.contains(.confidenceBelowThreshold(0.72, required: 0.80)))
            let trend = try #require(report.trend)
            #expect(trend.direction == .up)
            #expect(trend.emaFast > trend.emaSlow && trend.slope > 0)
            #expect(report.reasons.contains(.againstTrend(.short, .up, emaFast: trend.emaFast, emaSlow: trend.emaSlow, slope: trend.slope)))
            let texts = reasons.map(\.description)
            #expect(texts.contains("confidenceBelowThreshold(0.72, required: 0.80)"))
            #expect(texts.contains { $0.hasPrefix("againstTrend(SHORT, trend: up, ema50: ") })
            // every check ran: the size and plan were still computed (for counterfactuals)
            #expect(report.plan != nil)
        }
    }

    @Test("at 0.85 in a downtrend the first SHORT is approved; a correlated second SHORT is rejected with the correlation")
    func correlatedSecondShort() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, atomPrice, linkPrice) = Self.validator(drift: -0.0015)
        let time = RiskFixtures.closeTime(count: Self.bars)
        let first = judged(validator.evaluate(RiskFixtures.signal("ATOMUSDT", .short, confidence: 0.85, time: time),
                                       context: RiskFixtures.context(RiskFixtures.atom, price: atomPrice, time: time)), into: &lastReport, risk: &riskActions)
        guard case .approved(let entry) = first else {
            Issue.record("the first SHORT in a downtrend was rejected: \(first)")
            return
        }
        #expect(lastReport?.trend?.direction == .down)
        #expect(entry.plan.stopPrice > atomPrice && entry.plan.liquidationPrice > entry.plan.stopPrice)
        let position = Position(symbol: "ATOMUSDT", side: .short, quantity: entry.quantity, entryPrice: atomPrice, leverage: entry.leverage,
                                isolatedMargin: atomPrice.notional(entry.quantity, .up).divided(by: Int64(entry.leverage), .up), openedAt: time)
        let second = judged(validator.evaluate(
            RiskFixtures.signal("LINKUSDT", .short, confidence: 0.85, time: time),
            context: RiskFixtures.context(RiskFixtures.link, price: linkPrice, time: time, openPositions: [position], prices: ["ATOMUSDT": atomPrice])), into: &lastReport, risk: &riskActions)
        #expect(!second.isApproved)
        let report = try #require(lastReport)
        let correlation = try #require(report.correlations["ATOMUSDT"])
        #expect(correlation > 0.8)
        #expect(report.reasons.contains(.correlatedExposure(with: "ATOMUSDT", correlation: correlation, limit: 0.8)))
        if case .rejected(_, let reasons) = second {
            let texts = reasons.map(\.description)
            let expected = "correlatedExposure(with: ATOMUSDT, correlation: \(correlationText(correlation)), limit: 0.80)"
            #expect(texts.contains(expected))
        }
    }

    @Test("with the reduce-size action the correlated SHORT is approved at half size, the correlation in the adjustment")
    func correlatedSecondShortReduced() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var settings = ValidationSettings()
        settings.correlation.action = .reduceSize(Rate("0.5")!)
        settings.directionalExposure.isEnabled = false
        var (validator, atomPrice, linkPrice) = Self.validator(drift: -0.0015, settings: settings)
        let time = RiskFixtures.closeTime(count: Self.bars)
        let alone = validator.validate(RiskFixtures.signal("LINKUSDT", .short, confidence: 0.85, time: time),
                                       context: RiskFixtures.context(RiskFixtures.link, price: linkPrice, time: time))
        let position = Position(symbol: "ATOMUSDT", side: .short, quantity: Quantity(units: 400), entryPrice: atomPrice, leverage: 3,
                                isolatedMargin: Money(units: 1000), openedAt: time)
        let decision = judged(validator.evaluate(
            RiskFixtures.signal("LINKUSDT", .short, confidence: 0.85, time: time),
            context: RiskFixtures.context(RiskFixtures.link, price: linkPrice, time: time, openPositions: [position], prices: ["ATOMUSDT": atomPrice])), into: &lastReport, risk: &riskActions)
        guard case .approved(let entry) = decision else {
            Issue.record("expected a reduced approval: \(decision)")
            return
        }
        let report = try #require(lastReport)
        let correlation = try #require(report.correlations["ATOMUSDT"])
        #expect(report.adjustments.contains(.correlatedExposure(with: "ATOMUSDT", correlation: correlation, limit: 0.8, multiplier: Rate("0.5")!)))
        let aloneQuantity = try #require(alone.size?.quantity)
        // half the notional before flooring: at most half the unreduced quantity (plus one step of flooring slack)
        #expect(entry.quantity <= Quantity(raw: aloneQuantity.raw / 2 + RiskFixtures.link.stepSize.raw))
        #expect(entry.quantity >= Quantity(raw: aloneQuantity.raw / 2 - RiskFixtures.link.stepSize.raw))
    }

    private func correlationText(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded(.toNearestOrAwayFromZero))
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
