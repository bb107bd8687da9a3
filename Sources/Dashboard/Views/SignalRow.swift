/// A signal and the entry gate's decision on it, with every reason (as recorded).
public struct SignalRow: Sendable, Hashable, Codable {
    public var runID: Int64
    public var time: String
    public var symbol: String
    public var side: String
    /// The signal's confidence (the model's calibrated probability); nil for rule strategies.
    public var confidence: Double?
    /// Who proposed it (`ema-cross`, `ml-ensemble@<version>`).
    public var source: String
    public var approved: Bool
    /// Every reason with its measured values (`confidenceBelowThreshold(0.72, required: 0.80)`).
    public var reasons: [String]
    public var quantity: String?
    public var leverage: Int?

    public init(runID: Int64, time: String, symbol: String, side: String, confidence: Double?, source: String, approved: Bool, reasons: [String],
                quantity: String?, leverage: Int?) {
        self.runID = runID
        self.time = time
        self.symbol = symbol
        self.side = side
        self.confidence = confidence
        self.source = source
        self.approved = approved
        self.reasons = reasons
        self.quantity = quantity
        self.leverage = leverage
    }
}
