import TradingEngine
import TradingModel

/// The validator of one run and what the runtime learns from it: the `PreTradeValidator`, the
/// rejection analysis (table + counterfactuals of rejected signals), the reports of every
/// evaluation and the risk actions still to perform. Shared by the kernel's gate
/// (`ValidatorGate`) and the runtime beside it (`BacktestRuntime`, `LiveRuntime`).
///
/// A lock-protected box (`@unchecked Sendable`) so the gate can travel with its kernel into the
/// real-time runtime's actor; in practice one writer (the replay loop or the actor) calls it.
final class ValidationCore: @unchecked Sendable {
    // @unchecked: every stored var is read and written under `lock` only.
    private let lock = Mutex()
    private var validator: PreTradeValidator
    private var rejections: RejectionAnalysis
    private var evaluations: [ValidationReport] = []
    /// Risk actions produced by evaluate / positionClosed / equity / halt, not yet performed.
    private var pendingRiskActions: [RiskAction] = []

    init(validator: PreTradeValidator, feeRate: Rate) {
        self.validator = validator
        rejections = RejectionAnalysis(feeRate: feeRate)
    }

    /// The rejection analysis so far (a copy).
    var analysis: RejectionAnalysis { lock.withLock { rejections } }

    /// Every evaluation's typed report, in order.
    var reports: [ValidationReport] { lock.withLock { evaluations } }

    /// The risk engine's state (ACTIVE / REDUCING / HALTED).
    var riskState: RiskState { lock.withLock { validator.risk.state } }

    /// A market event for the validator's rolling history (trend, regime, correlation) and the analysis.
    func observe(_ event: MarketEvent) {
        lock.withLock {
            validator.observe(event)
            rejections.observe(event)
        }
    }

    /// Judges a signal; the report is recorded, the validator's risk actions queued.
    func evaluate(_ signal: Signal, context: EntryContext) -> EntryDecision {
        lock.withLock {
            let decision = validator.evaluate(signal, context: context)
            if let report = validator.lastReport {
                rejections.record(report)
                evaluations.append(report)
            }
            pendingRiskActions += validator.takeRiskActions()
            return decision
        }
    }

    /// A closed position (cooldowns, daily loss); its risk actions are queued.
    func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) {
        lock.withLock {
            validator.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time)
            pendingRiskActions += validator.takeRiskActions()
        }
    }

    /// A risk event for the validator's `RiskEngine` (a halt by hand, an equity update); its
    /// actions are queued.
    func onRisk(_ event: RiskEvent) {
        lock.withLock { pendingRiskActions += validator.onRisk(event) }
    }

    /// An equity update for the risk engine (each bar close); its actions are queued.
    func equity(_ equity: Money, time: Timestamp) {
        onRisk(.equity(equity, time: time))
    }

    /// Returns and clears the pending risk actions.
    func takeRiskActions() -> [RiskAction] {
        lock.withLock {
            pendingRiskActions += validator.takeRiskActions()
            defer { pendingRiskActions = [] }
            return pendingRiskActions
        }
    }
}

/// The kernel's entry gate backed by a `ValidationCore`: the validator judges, the analysis
/// records every report after observing the event it was made at.
struct ValidatorGate: EntryGate, Sendable {
    let core: ValidationCore

    mutating func observe(_ event: MarketEvent) { core.observe(event) }

    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryDecision { core.evaluate(signal, context: context) }

    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) {
        core.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time)
    }
}

/// The fixed-notional sizer with the `ExitBrain`'s plan (targets, ladder, backstop) instead of
/// its single bracket, for the exit engine without validation. A plan the brain refuses (stop
/// beyond liquidation) rejects the entry: fail closed.
struct BrainPlannedGate: EntryGate, Sendable {
    var inner: FixedNotionalEntryGate
    let brain: ExitBrain

    mutating func observe(_ event: MarketEvent) { inner.observe(event) }

    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) {
        inner.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time)
    }

    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryDecision {
        let decision = inner.evaluate(signal, context: context)
        guard case .approved(let entry) = decision else { return decision }
        switch brain.plan(symbol: signal.symbol, side: signal.side, entryPrice: context.price, quantity: entry.quantity,
                          leverage: entry.leverage, instrument: context.instrument) {
        case .success(let plan):
            return .approved(ApprovedEntry(signal: signal, quantity: plan.quantity, leverage: entry.leverage, plan: plan))
        case .failure(let rejection):
            return .rejected(signal: signal, reasons: ["exit plan: \(rejection.message)"])
        }
    }
}
