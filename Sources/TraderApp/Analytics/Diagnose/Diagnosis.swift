import TradingEngine
import TradingModel

/// `qt diagnose`: account, open positions with their figures and protection, recent signals
/// with the validator's reasons, recent alerts, model health and the findings, from the store
/// (and the prices or candles given).
public struct Diagnosis: Sendable {
    /// One open position as its exit owner last saved it, with its figures at the known price.
    public struct OpenPosition: Sendable {
        public var saved: StoreStatus.OpenPosition
        public var leverage: Int?
        /// The position rebuilt from the saved state (nil when the state is unreadable or absurd).
        public var position: Position?
        public var price: Price?
        /// Where the price came from (`--price`, `candle close 2026-01-03T12:00Z`).
        public var priceSource: String?
        public var figures: PositionFigures?
        /// The price is at or beyond the stop.
        public var stopBreached: Bool
        /// The first candle after the owner's last price event that reached the stop (time, extreme).
        public var firstCrossing: (time: Timestamp, price: Price)?
    }

    public var asOf: Timestamp
    public var runs: [RunRecord]
    public var account: [String]
    public var positions: [OpenPosition]
    public var signals: [DecisionRecord]
    public var alerts: [AlertRecord]
    public var modelHealth: [String]
    /// The model's live figures against its report, when `--model` was given.
    public var model: ModelHealth?
    /// Most severe first; the order the rules found them within a severity (with `--venue`, a
    /// position unprotected on the venue comes first of all).
    public var findings: [Finding]
    /// What the venue said (`qt diagnose --venue`); nil: the store alone.
    public var venue: VenueDiagnosis?
}
