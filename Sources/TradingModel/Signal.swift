/// A proposal to open a position, from a strategy or a model. It is never an order: every signal
/// passes pre-trade validation first, and the decision is recorded with it.
public struct Signal: Sendable, Hashable {
    public var symbol: Symbol
    public var side: Side
    /// Calibrated probability of the chosen side, when the source has one (`0.85`).
    /// Nil for rule-based reference strategies, which never pretend to a confidence.
    public var confidence: Double?
    /// The bar close (or event) the signal was computed at.
    public var time: Timestamp
    /// Who produced it: `ema-cross`, `ml-ensemble@<model version>`.
    public var source: String
    /// Hash of the feature vector behind a model signal, for audit.
    public var featureHash: String?

    public init(symbol: Symbol, side: Side, confidence: Double?, time: Timestamp, source: String, featureHash: String? = nil) {
        self.symbol = symbol
        self.side = side
        self.confidence = confidence
        self.time = time
        self.source = source
        self.featureHash = featureHash
    }
}
