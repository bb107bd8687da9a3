import Testing
import TradingEngine
import TradingModel

/// Individual checks: fail-closed cases, regime, cooldown, funding, book limits, switches.
@Suite("Pre-trade validator checks")
struct ValidatorChecksTests {
    static let bars = 260
    let time = RiskFixtures.closeTime(count: ValidatorChecksTests.bars)

    /// A validator that has seen a falling ATOMUSDT (so a SHORT passes the market checks).
    func downtrend(_ settings: ValidationSettings = ValidationSettings(), shocks: [Double]? = nil) -> (PreTradeValidator, Price) {
        var validator = PreTradeValidator(settings: settings, planner: RiskFixedStopPlanner())
        let candles = RiskFixtures.hourlyCandles(startPrice: 10, drift: -0.0015,
                                                 shocks: shocks ?? RiskFixtures.shocks(count: Self.bars, size: 0.004, seed: 3))
        RiskFixtures.feed(&validator, "ATOMUSDT", candles)
        return (validator, candles.last!.close)
    }

    func shortSignal(confidence: Double? = 0.85) -> Signal { RiskFixtures.signal("ATOMUSDT", .short, confidence: confidence, time: time) }

    @Test("the baseline SHORT in a downtrend is approved (so each test below isolates one failure)")
    func baseline() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        #expect(judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time)), into: &lastReport, risk: &riskActions).isApproved)
    }

    @Test("no candles at all: rejected with checkUnavailable for market data, trend and regime")
    func noCandles() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var validator = PreTradeValidator(planner: RiskFixedStopPlanner())
        let decision = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: Price("10")!, time: time)), into: &lastReport, risk: &riskActions)
        #expect(!decision.isApproved)
        let reasons = try #require(lastReport?.reasons)
        #expect(reasons.contains(.checkUnavailable(.marketData, "no candles observed for ATOMUSDT")))
        #expect(reasons.contains(.checkUnavailable(.trend, "0 hourly bars of ATOMUSDT, need 205")))
        #expect(reasons.contains(.checkUnavailable(.regime, "0 hourly bars of ATOMUSDT, need 192")))
    }

    @Test("too little history: 100 hourly bars cannot give an EMA 200")
    func shortHistory() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var validator = PreTradeValidator(planner: RiskFixedStopPlanner())
        let candles = RiskFixtures.hourlyCandles(startPrice: 10, drift: -0.0015, shocks: RiskFixtures.shocks(count: 100, size: 0.004, seed: 3))
        RiskFixtures.feed(&validator, "ATOMUSDT", candles)
        let now = RiskFixtures.closeTime(count: 100)
        let decision = judged(validator.evaluate(RiskFixtures.signal("ATOMUSDT", .short, confidence: 0.9, time: now),
                                          context: RiskFixtures.context(RiskFixtures.atom, price: candles.last!.close, time: now)), into: &lastReport, risk: &riskActions)
        guard case .rejected(_, let reasons) = decision else { Issue.record("approved on 100 bars"); return }
        let texts = reasons.map(\.description)
        #expect(texts.contains("checkUnavailable(trend, 100 hourly bars of ATOMUSDT, need 205)"))
        #expect(texts.contains("checkUnavailable(regime, 100 hourly bars of ATOMUSDT, need 192)"))
    }

    @Test("stale data: the last candle closed 3 hours before the signal")
    func staleData() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        let later = time.advanced(by: .seconds(3 * 3600))
        let decision = judged(validator.evaluate(RiskFixtures.signal("ATOMUSDT", .short, confidence: 0.9, time: later),
                                          context: RiskFixtures.context(RiskFixtures.atom, price: price, time: later)), into: &lastReport, risk: &riskActions)
        #expect(!decision.isApproved)
        #expect(lastReport?.reasons == [.checkUnavailable(.marketData, "stale data: last candle of ATOMUSDT closed 180 min before 2024-03-11T23:00:00.000Z, limit 65 min")])
    }

    @Test("a candle closing after the evaluation time is look-ahead and fails closed")
    func lookAhead() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        let earlier = time.advanced(by: .seconds(-1800))
        _ = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: earlier)), into: &lastReport, risk: &riskActions)
        #expect(lastReport?.reasons.first.map { if case .checkUnavailable(.marketData, _) = $0 { true } else { false } } == true)
    }

    @Test("a signal without confidence fails unless the check is switched off explicitly")
    func missingConfidence() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        let context = RiskFixtures.context(RiskFixtures.atom, price: price, time: time)
        #expect(!judged(validator.evaluate(shortSignal(confidence: nil), context: context), into: &lastReport, risk: &riskActions).isApproved)
        #expect(lastReport?.reasons == [.checkUnavailable(.confidence, "signal from test-model@1 has no confidence")])
        var settings = ValidationSettings()
        settings.confidence.isEnabled = false
        var (unchecked, _) = downtrend(settings)
        #expect(unchecked.evaluate(shortSignal(confidence: nil), context: context).isApproved)
    }

    @Test("a correlation with too little aligned history fails closed")
    func noCorrelationHistory() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        let open = Position(symbol: "LINKUSDT", side: .short, quantity: Quantity(units: 10), entryPrice: Price("15")!, leverage: 2,
                            isolatedMargin: Money(units: 75), openedAt: time)
        let link = RiskFixtures.hourlyCandles(from: Timestamp(milliseconds: time.milliseconds - 10 * RiskFixtures.hour), startPrice: 15,
                                              drift: 0, shocks: RiskFixtures.shocks(count: 10, size: 0.004, seed: 5))
        RiskFixtures.feed(&validator, "LINKUSDT", link)
        _ = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time, openPositions: [open],
                                                                           prices: ["LINKUSDT": Price("15")!])), into: &lastReport, risk: &riskActions)
        #expect(lastReport?.reasons.contains(.checkUnavailable(.correlation, "9 aligned hourly returns of ATOMUSDT and LINKUSDT, need 24")) == true)
    }

    @Test("an open position without a price fails closed for the notional caps")
    func missingOpenPrice() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        let open = Position(symbol: "DOTUSDT", side: .long, quantity: Quantity(units: 10), entryPrice: Price("7")!, leverage: 2,
                            isolatedMargin: Money(units: 35), openedAt: time)
        _ = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time, openPositions: [open])), into: &lastReport, risk: &riskActions)
        #expect(lastReport?.reasons == [.checkUnavailable(.notionalCaps, "no price for open position DOTUSDT")])
    }

    @Test("a volatility spike is the high-volatility regime: no entries")
    func extremeVolatility() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var shocks = RiskFixtures.shocks(count: Self.bars - 24, size: 0.002, seed: 9)
        shocks += RiskFixtures.shocks(count: 24, size: 0.03, seed: 10).map { $0 - 0.004 }
        var (validator, price) = downtrend(shocks: shocks)
        _ = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time)), into: &lastReport, risk: &riskActions)
        let regime = try #require(lastReport?.regime)
        #expect(regime.regime == .highVolatility)
        #expect(regime.volatilityPercentile >= 0.95)
        #expect(lastReport?.reasons.contains(.regimeBlocked(.highVolatility, adx: regime.adx, volatilityPercentile: regime.volatilityPercentile)) == true)
    }

    @Test("a sideways market is ranging: approved at half size")
    func ranging() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var settings = ValidationSettings()
        settings.trend.isEnabled = false
        var validator = PreTradeValidator(settings: settings, planner: RiskFixedStopPlanner())
        // two hours up 0.4%, two hours down 0.4%, repeated: no direction, +DI ≈ −DI, ADX low
        let candles = RiskFixtures.hourlyCandles(startPrice: 10, drift: 0, shocks: (0..<Self.bars).map { $0 % 4 < 2 ? 0.004 : -0.004 })
        RiskFixtures.feed(&validator, "ATOMUSDT", candles)
        let decision = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: candles.last!.close, time: time)), into: &lastReport, risk: &riskActions)
        #expect(decision.isApproved)
        let report = try #require(lastReport)
        #expect(report.regime?.regime == .ranging)
        #expect(report.adjustments == [.regime(.ranging, multiplier: Rate("0.5")!)])
        // 10056.84 × 0.005 / 0.012 × 0.5 = 2095.175 USDT before flooring
        #expect(report.size?.notionalBeforeCaps == Money("2095.175")!)
    }

    @Test("an altcoin SHORT while BTC trends up is rejected when BTCUSDT is observed")
    func btcTrend() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        RiskFixtures.feed(&validator, "BTCUSDT", RiskFixtures.hourlyCandles(startPrice: 60_000, drift: 0.002,
                                                                           shocks: RiskFixtures.shocks(count: Self.bars, size: 0.003, seed: 4)))
        _ = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time)), into: &lastReport, risk: &riskActions)
        #expect(lastReport?.reasons == [.againstBTCTrend(.short, btcTrend: .up)])
        #expect(lastReport?.regime?.btcTrend == .up)
    }

    @Test("after a stop-loss the symbol cools down for 4 hours; a take-profit does not")
    func cooldown() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        let context = RiskFixtures.context(RiskFixtures.atom, price: price, time: time)
        validator.positionClosed(symbol: "ATOMUSDT", reason: .takeProfit1, netPnL: Money(units: 5), time: time.advanced(by: .seconds(-600)))
        #expect(judged(validator.evaluate(shortSignal(), context: context), into: &lastReport, risk: &riskActions).isApproved)
        validator.positionClosed(symbol: "ATOMUSDT", reason: .stopLoss, netPnL: Money(units: -50), time: time.advanced(by: .seconds(-600)))
        #expect(!judged(validator.evaluate(shortSignal(), context: context), into: &lastReport, risk: &riskActions).isApproved)
        #expect(lastReport?.reasons == [.cooldownAfterStopLoss(until: time.advanced(by: .seconds(4 * 3600 - 600)))])
    }

    @Test("funding: a LONG paying 0.05% per 8 h over 24 h (0.15%) exceeds the 0.10% threshold; unknown funding fails closed")
    func funding() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var settings = ValidationSettings()
        settings.trend.isEnabled = false
        settings.regime.isEnabled = false
        var (validator, price) = downtrend(settings)
        let long = RiskFixtures.signal("ATOMUSDT", .long, confidence: 0.9, time: time)
        _ = judged(validator.evaluate(long, context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time, fundingRate: Rate("0.0005")!)), into: &lastReport, risk: &riskActions)
        // 3 settlements × 0.0005 = 0.0015 against a long
        #expect(lastReport?.reasons == [.fundingAgainstPosition(expected: Rate("0.0015")!, threshold: Rate("0.001")!)])
        // the same rate pays a SHORT: accepted
        #expect(judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time, fundingRate: Rate("0.0005")!)), into: &lastReport, risk: &riskActions).isApproved)
        _ = judged(validator.evaluate(long, context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time, fundingRate: nil)), into: &lastReport, risk: &riskActions)
        #expect(lastReport?.reasons == [.checkUnavailable(.funding, "no funding rate known for ATOMUSDT")])
    }

    @Test("book limits: max open positions, an open position in the symbol, and the total notional cap are all reported")
    func bookLimits() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        func position(_ symbol: Symbol, _ side: Side, _ units: Int64) -> Position {
            Position(symbol: symbol, side: side, quantity: Quantity(units: units), entryPrice: Price("10")!, leverage: 5,
                     isolatedMargin: Money(units: units * 2), openedAt: time)
        }
        let open = [position("ATOMUSDT", .short, 10), position("DOTUSDT", .long, 800), position("ADAUSDT", .long, 800)]
        let prices: [Symbol: Price] = ["ATOMUSDT": price, "DOTUSDT": Price("10")!, "ADAUSDT": Price("10")!]
        _ = judged(validator.evaluate(shortSignal(), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time, openPositions: open, prices: prices)), into: &lastReport, risk: &riskActions)
        let reasons = try #require(lastReport?.reasons)
        #expect(reasons.contains(.maxOpenPositions(open: 3, limit: 3)))
        #expect(reasons.contains(.positionAlreadyOpen("ATOMUSDT", .short)))
        // total: 8000 + 8000 + 10 × price ≥ 1.5 × 10056.84 = 15085.26
        #expect(reasons.contains { if case .totalNotionalCap(_, let cap) = $0 { cap == Money("15085.26")! } else { false } })
    }

    @Test("a halted risk engine rejects with riskHalted, together with every other reason")
    func halted() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var (validator, price) = downtrend()
        _ = validator.onRisk(.halt(by: "alice", reason: "exchange incident", time: time))
        _ = judged(validator.evaluate(shortSignal(confidence: 0.5), context: RiskFixtures.context(RiskFixtures.atom, price: price, time: time)), into: &lastReport, risk: &riskActions)
        #expect(lastReport?.reasons == [.riskHalted(cause: "manual"), .confidenceBelowThreshold(0.5, required: 0.8)])
    }
}
