import TradingModel

/// The pre-trade validator: every signal passes through it before it can become an order.
///
/// `evaluate` runs *all* checks (it never stops at the first failure) and returns the approved
/// size, leverage and exit plan, or every failed check with its measured values, together with
/// the full typed report and the risk actions the evaluation caused. Checks that cannot be evaluated
/// (missing, short or stale history, no funding rate, no price for an open position) reject
/// with `checkUnavailable`: nothing is approved by default.
///
/// The kernel feeds it:
/// - `observe(_:)` with every market event in time order (candles of any interval ≤ 1 h, mark
///   prices, funding) for every traded symbol and BTCUSDT;
/// - `evaluate(_:context:)` for each signal; it also passes `context.equity` to the risk engine,
///   so a daily-loss breach halts in the same event;
/// - `positionClosed(...)` when a position is flat (cooldowns, realized PnL);
/// - `onRisk(_:)` for equity updates and manual halt / reduce / resume.
/// Each returns the risk actions it caused (records, alerts, flatten); the kernel emits them.
///
/// Pure value type: no clock, no I/O; time comes from events and contexts.
public struct PreTradeValidator: EntryGate, Sendable {
    public var settings: ValidationSettings
    /// The exit engine's planner (the `ExitBrain` in production).
    public let planner: any ExitPlanning
    public private(set) var risk: RiskEngine
    public private(set) var histories: [Symbol: SymbolHistory] = [:]
    /// Entries in a symbol are refused until this time (after a stop-out).
    public private(set) var cooldowns: [Symbol: Timestamp] = [:]

    public init(settings: ValidationSettings = ValidationSettings(), riskSettings: RiskSettings = RiskSettings(),
                planner: any ExitPlanning) {
        self.settings = settings
        self.planner = planner
        self.risk = RiskEngine(settings: riskSettings)
    }

    public mutating func observe(_ event: MarketEvent) {
        histories[event.symbol, default: SymbolHistory(capacity: settings.historyCapacity)].observe(event)
    }

    public mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] {
        if settings.cooldown.reasons.contains(reason) {
            let until = time.advanced(by: settings.cooldown.duration)
            cooldowns[symbol] = max(cooldowns[symbol] ?? until, until)
        }
        return risk.on(.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time))
    }

    /// Feeds the risk engine (equity updates, manual halt / reduce / resume); returns its actions.
    public mutating func onRisk(_ event: RiskEvent) -> [RiskAction] { risk.on(event) }

    /// The risk engine's state (ACTIVE / REDUCING / HALTED).
    public var riskState: RiskState? { risk.state }

    /// The risk engine learns the equity the signal is judged at (a daily-loss breach halts
    /// before the checks run), then every check runs; returns the decision, the report and the
    /// risk engine's actions.
    public mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        let riskActions = risk.on(.equity(context.equity, time: context.time))
        let report = validate(signal, context: context)
        return EntryEvaluation(report.decision, report: report, riskActions: riskActions)
    }

    /// Runs every check and returns the full typed report without changing any state (`evaluate`
    /// also feeds the risk engine).
    public func validate(_ signal: Signal, context: EntryContext) -> ValidationReport {
        var report = ValidationReport(signal: signal, time: context.time, price: context.price, riskState: risk.state)
        if context.instrument.symbol != signal.symbol {
            report.reasons.append(.checkUnavailable(.marketData, "instrument \(context.instrument.symbol) does not match signal symbol \(signal.symbol)"))
        }
        switch risk.state {
        case .halted: report.reasons.append(.riskHalted(cause: risk.cause))
        case .reducing: report.adjustments.append(.riskReducing(multiplier: risk.settings.reducingSizeMultiplier))
        case .active: break
        }
        report.reasons += freshness(of: signal.symbol, at: context.time, check: .marketData)
        checkConfidence(signal, into: &report)
        checkTrend(signal, into: &report)
        checkRegime(signal, at: context.time, into: &report)
        checkCorrelation(signal, context: context, into: &report)
        checkCooldown(signal, at: context.time, into: &report)
        checkFunding(signal, context: context, into: &report)
        checkBookAndSize(signal, context: context, into: &report)
        return report
    }

    private func checkConfidence(_ signal: Signal, into report: inout ValidationReport) {
        let check = settings.confidence
        guard check.isEnabled else { return }
        guard let confidence = signal.confidence, confidence.isFinite else {
            report.reasons.append(.checkUnavailable(.confidence, "signal from \(signal.source) has no confidence"))
            return
        }
        if confidence < check.minimum {
            report.reasons.append(.confidenceBelowThreshold(confidence, required: check.minimum))
        }
    }

    private func checkCooldown(_ signal: Signal, at time: Timestamp, into report: inout ValidationReport) {
        guard settings.cooldown.isEnabled, let until = cooldowns[signal.symbol], time < until else { return }
        report.reasons.append(.cooldownAfterStopLoss(until: until))
    }

    private func checkFunding(_ signal: Signal, context: EntryContext, into report: inout ValidationReport) {
        let check = settings.funding
        guard check.isEnabled else { return }
        guard let rate = context.fundingRate ?? histories[signal.symbol]?.fundingRate else {
            report.reasons.append(.checkUnavailable(.funding, "no funding rate known for \(signal.symbol)"))
            return
        }
        let horizon = Timestamp(milliseconds: 0).advanced(by: check.holdingHorizon).milliseconds
        let interval = Timestamp(milliseconds: 0).advanced(by: check.fundingInterval).milliseconds
        guard interval > 0, horizon >= 0 else {
            report.reasons.append(.checkUnavailable(.funding, "funding interval must be positive"))
            return
        }
        let settlements = (horizon + interval - 1) / interval
        // Longs pay a positive rate, shorts a negative one: cost share = sign × rate × settlements.
        let expected = rate * (signal.side.sign * settlements)
        if expected > check.threshold {
            report.reasons.append(.fundingAgainstPosition(expected: expected, threshold: check.threshold))
        }
    }

    /// `checkUnavailable` when the newest candle of `symbol` is missing, too old, or from the future.
    func freshness(of symbol: Symbol, at time: Timestamp, check: ValidationCheck) -> [RejectionReason] {
        guard let close = histories[symbol]?.lastCandleClose else {
            return [.checkUnavailable(check, "no candles observed for \(symbol)")]
        }
        if close > time {
            return [.checkUnavailable(check, "last candle of \(symbol) closes at \(close), after the evaluation time \(time)")]
        }
        let limit = Timestamp(milliseconds: 0).advanced(by: settings.maximumDataAge).milliseconds
        let age = time.milliseconds - close.milliseconds
        if age > limit {
            return [.checkUnavailable(check, "stale data: last candle of \(symbol) closed \(age / 60_000) min before \(time), limit \(limit / 60_000) min")]
        }
        return []
    }
}
