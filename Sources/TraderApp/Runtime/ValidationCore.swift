import TradingEngine
import TradingModel

/// The validator of one run and what the runtime learns from it: the `PreTradeValidator`, the
/// rejection analysis (table + counterfactuals of rejected signals), the reports of every
/// evaluation and the risk actions still to perform. Shared by the kernel's gate
/// (`ValidatorGate`) and the runtime observer (`BacktestRuntime`); one thread only.
final class ValidationCore {
    var validator: PreTradeValidator
    var analysis: RejectionAnalysis
    /// Every evaluation's typed report, in order.
    var reports: [ValidationReport] = []
    /// Risk actions produced by evaluate / positionClosed / equity, not yet performed.
    var pendingRiskActions: [RiskAction] = []

    init(validator: PreTradeValidator, feeRate: Rate) {
        self.validator = validator
        analysis = RejectionAnalysis(feeRate: feeRate)
    }

    /// An equity update for the risk engine (each bar close); its actions join the pending ones.
    func equity(_ equity: Money, time: Timestamp) {
        pendingRiskActions += validator.onRisk(.equity(equity, time: time))
    }

    /// Returns and clears the pending risk actions.
    func takeRiskActions() -> [RiskAction] {
        pendingRiskActions += validator.takeRiskActions()
        defer { pendingRiskActions = [] }
        return pendingRiskActions
    }
}

/// The kernel's entry gate backed by a `ValidationCore`: the validator judges, the analysis
/// records every report after observing the event it was made at.
struct ValidatorGate: EntryGate {
    let core: ValidationCore

    mutating func observe(_ event: MarketEvent) {
        core.validator.observe(event)
        core.analysis.observe(event)
    }

    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryDecision {
        let decision = core.validator.evaluate(signal, context: context)
        if let report = core.validator.lastReport {
            core.analysis.record(report)
            core.reports.append(report)
        }
        core.pendingRiskActions += core.validator.takeRiskActions()
        return decision
    }

    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) {
        core.validator.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time)
        core.pendingRiskActions += core.validator.takeRiskActions()
    }
}

/// The fixed-notional sizer with the `ExitBrain`'s plan (targets, ladder, backstop) instead of
/// its single bracket, for the exit engine without validation. A plan the brain refuses (stop
/// beyond liquidation) rejects the entry: fail closed.
struct BrainPlannedGate: EntryGate {
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
