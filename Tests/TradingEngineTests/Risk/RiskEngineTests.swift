import Testing
import TradingEngine
import TradingModel

@Suite("Risk engine: daily loss kill switch, manual halt and resume")
struct RiskEngineTests {
    let dayStart = RiskFixtures.start
    func at(minutes: Int64) -> Timestamp { dayStart.advanced(by: .seconds(minutes * 60)) }

    func records(_ actions: [RiskAction]) -> [RiskEventRecord] {
        actions.compactMap { if case .record(let record) = $0 { record } else { nil } }
    }

    @Test("losses crossing 2% of start-of-day equity halt within the same event, via REDUCING at 1%")
    func dailyLossHalts() throws {
        var engine = RiskEngine()
        #expect(engine.on(.equity(Money(units: 10_000), time: at(minutes: 0))).isEmpty)
        // 10000 → 9950: −0.5%, still ACTIVE
        #expect(engine.on(.equity(Money(units: 9950), time: at(minutes: 30))).isEmpty)
        // 9900 = −1.00%: REDUCING
        let reducing = engine.on(.equity(Money(units: 9900), time: at(minutes: 60)))
        #expect(engine.state == .reducing)
        #expect(records(reducing).map(\.state) == ["reducing"])
        #expect(engine.on(.positionClosed(symbol: "ATOMUSDT", reason: .stopLoss, netPnL: Money(units: -120), time: at(minutes: 70))).isEmpty)
        // 9800.01 = −1.9999%: not yet
        #expect(engine.on(.equity(Money("9800.01")!, time: at(minutes: 80))).isEmpty)
        // 9800 = −2.00% (200 / 10000): HALTED in this very event
        let halted = engine.on(.equity(Money(units: 9800), time: at(minutes: 90)))
        #expect(engine.state == .halted && !engine.allowsEntries)
        let record = try #require(records(halted).first)
        #expect(record.state == "halted" && record.cause == "daily_loss_limit" && record.time == at(minutes: 90))
        #expect(record.detail == "daily loss 2.00% of start-of-day equity 10000 USDT (equity 9800 USDT, realized today -120 USDT, unrealized -80 USDT), limit 2.00%")
        #expect(halted.contains { if case .alert(let alert) = $0 { alert.severity == .critical } else { false } })
        #expect(!halted.contains { if case .flattenAll = $0 { true } else { false } })
        // further losses do not re-emit
        #expect(engine.on(.equity(Money(units: 9700), time: at(minutes: 100))).isEmpty)
    }

    @Test("with flattenOnHalt the halt also asks to flatten every position")
    func flatten() {
        var settings = RiskSettings()
        settings.flattenOnHalt = true
        settings.reducingThreshold = nil
        var engine = RiskEngine(settings: settings)
        _ = engine.on(.equity(Money(units: 5000), time: at(minutes: 0)))
        // 5000 → 4890: −2.2%
        let actions = engine.on(.equity(Money(units: 4890), time: at(minutes: 5)))
        #expect(actions.contains(.flattenAll(reason: .riskFlatten, time: at(minutes: 5))))
    }

    @Test("the validator halts new entries in the same evaluation whose equity crosses the limit")
    func validatorHaltsSameEvent() throws {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var validator = PreTradeValidator(planner: RiskFixedStopPlanner())
        _ = validator.onRisk(.equity(Money(units: 10_000), time: at(minutes: 0)))
        let signal = RiskFixtures.signal("ATOMUSDT", .short, confidence: 0.9, time: at(minutes: 10))
        // the context's equity is 9790 (−2.1%): the risk engine sees it before any check runs
        let decision = judged(validator.evaluate(signal, context: RiskFixtures.context(RiskFixtures.atom, price: Price("10")!, time: at(minutes: 10),
                                                                                equity: Money(units: 9790))), into: &lastReport, risk: &riskActions)
        #expect(!decision.isApproved)
        #expect(lastReport?.reasons.first == .riskHalted(cause: "daily_loss_limit"))
        let actions = takeAll(&riskActions)
        #expect(records(actions).map(\.state) == ["halted"])
        #expect(takeAll(&riskActions).isEmpty)
    }

    @Test("a person halts and resumes with who and why; resuming restarts the daily-loss baseline")
    func manualHaltResume() throws {
        var engine = RiskEngine()
        _ = engine.on(.equity(Money(units: 10_000), time: at(minutes: 0)))
        let halt = engine.on(.halt(by: "alice", reason: "venue maintenance", time: at(minutes: 5)))
        #expect(records(halt) == [RiskEventRecord(runID: nil, state: "halted", cause: "manual", detail: "by alice: venue maintenance", time: at(minutes: 5))])
        // a manual halt is not lifted by a new day
        _ = engine.on(.equity(Money(units: 10_000), time: at(minutes: 24 * 60 + 1)))
        #expect(engine.state == .halted)
        _ = engine.on(.equity(Money(units: 9850), time: at(minutes: 24 * 60 + 2)))
        let resume = engine.on(.resume(by: "bob", reason: "maintenance over", time: at(minutes: 24 * 60 + 3)))
        #expect(records(resume).map(\.detail) == ["by bob: maintenance over; daily-loss baseline restarts at 9850 USDT"])
        #expect(engine.state == .active)
        // 9850 → 9751: −1.005% from the new baseline: REDUCING, not HALTED
        _ = engine.on(.equity(Money(units: 9751), time: at(minutes: 24 * 60 + 4)))
        #expect(engine.state == .reducing)
        #expect(engine.on(.resume(by: "bob", reason: "again", time: at(minutes: 24 * 60 + 5))).count == 1)
        #expect(engine.on(.resume(by: "bob", reason: "no-op", time: at(minutes: 24 * 60 + 6))).isEmpty)
    }

    @Test("a daily-loss halt lifts at the next UTC day")
    func newDay() {
        var engine = RiskEngine()
        _ = engine.on(.equity(Money(units: 10_000), time: at(minutes: 0)))
        _ = engine.on(.equity(Money(units: 9700), time: at(minutes: 600)))
        #expect(engine.state == .halted)
        let actions = engine.on(.equity(Money(units: 9700), time: at(minutes: 24 * 60)))
        #expect(engine.state == .active)
        #expect(records(actions).map(\.cause) == ["new_day"])
        #expect(engine.startOfDayEquity == Money(units: 9700))
        // the same when the first event of the next day is a closed position
        _ = engine.on(.equity(Money(units: 9400), time: at(minutes: 25 * 60)))
        #expect(engine.state == .halted)
        let closed = engine.on(.positionClosed(symbol: "ATOMUSDT", reason: .stopLoss, netPnL: Money(units: -10), time: at(minutes: 48 * 60 + 1)))
        #expect(engine.state == .active && records(closed).map(\.detail) == ["new UTC day 2024-03-03"])
        _ = engine.on(.equity(Money(units: 9390), time: at(minutes: 48 * 60 + 2)))
        #expect(engine.startOfDayEquity == Money(units: 9390) && engine.realizedToday == Money(units: -10))
    }

    @Test("non-positive equity halts: fail closed")
    func invalidEquity() {
        var engine = RiskEngine()
        let actions = engine.on(.equity(.zero, time: at(minutes: 0)))
        #expect(engine.state == .halted && records(actions).map(\.cause) == ["invalid_equity"])
    }
}
