import TradingModel

/// Everything the validator measured and decided about one signal: the typed reasons, the size
/// reductions, the trend / regime / correlation values, and the size and exit plan it computed.
/// The size and plan are filled in for rejected signals too whenever they could be computed, so a
/// backtest can simulate what the rejected entry would have done (`CounterfactualTracker`).
public struct ValidationReport: Sendable, Hashable {
    public var signal: Signal
    public var time: Timestamp
    /// Entry price assumed (`context.price`).
    public var price: Price
    /// Every failed check; empty when approved.
    public var reasons: [RejectionReason] = []
    /// Size reductions applied (approved or not).
    public var adjustments: [SizeAdjustment] = []
    public var riskState: RiskState
    public var trend: TrendAssessment?
    public var regime: RegimeAssessment?
    /// Correlation of hourly returns with each same-direction open position's symbol.
    public var correlations: [Symbol: Double] = [:]
    public var size: PositionSize?
    public var plan: ExitPlan?

    public init(signal: Signal, time: Timestamp, price: Price, riskState: RiskState) {
        self.signal = signal
        self.time = time
        self.price = price
        self.riskState = riskState
    }

    public var isApproved: Bool { reasons.isEmpty && size != nil && plan != nil }

    /// The decision handed to the kernel: the approved entry, or every reason.
    public var decision: EntryDecision {
        if isApproved, let size, let plan {
            return .approved(ApprovedEntry(signal: signal, quantity: size.quantity, leverage: size.leverage, plan: plan))
        }
        return .rejected(signal: signal, reasons: reasons.isEmpty ? [.checkUnavailable(.sizing, "no size or exit plan")] : reasons)
    }
}
