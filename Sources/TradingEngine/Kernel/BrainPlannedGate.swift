import TradingModel

/// The fixed-notional sizer with the `ExitBrain`'s plan (targets, ladder, backstop) instead of
/// its single bracket, for the exit engine without validation. A plan the brain refuses (stop
/// beyond liquidation) rejects the entry: fail closed.
public struct BrainPlannedGate: EntryGate, Sendable {
    public var inner: FixedNotionalEntryGate
    public let brain: ExitBrain

    public init(inner: FixedNotionalEntryGate, brain: ExitBrain) {
        self.inner = inner
        self.brain = brain
    }

    public mutating func observe(_ event: MarketEvent) { inner.observe(event) }

    public mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] {
        inner.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time)
    }

    public mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        let decision = inner.decide(signal, context: context)
        guard case .approved(let entry) = decision else { return EntryEvaluation(decision) }
        switch brain.plan(symbol: signal.symbol, side: signal.side, entryPrice: context.price, quantity: entry.quantity,
                          leverage: entry.leverage, instrument: context.instrument) {
        case .success(let plan):
            return EntryEvaluation(.approved(ApprovedEntry(signal: signal, quantity: plan.quantity, leverage: entry.leverage, plan: plan)))
        case .failure(let rejection):
            return EntryEvaluation(.rejected(signal: signal, reasons: [.exitPlanRejected(rejection.message)]))
        }
    }
}
