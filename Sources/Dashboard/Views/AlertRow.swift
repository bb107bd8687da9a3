/// An alert the system raised, with how its messages were delivered (when any were sent).
public struct AlertRow: Sendable, Hashable, Codable {
    public var runID: Int64?
    public var time: String
    /// `INFO`, `WARNING`, `CRITICAL`.
    public var severity: String
    public var kind: String
    public var symbol: String?
    public var message: String

    public init(runID: Int64?, time: String, severity: String, kind: String, symbol: String?, message: String) {
        self.runID = runID
        self.time = time
        self.severity = severity
        self.kind = kind
        self.symbol = symbol
        self.message = message
    }
}
