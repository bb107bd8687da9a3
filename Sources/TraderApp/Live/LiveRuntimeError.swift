/// Why the runtime refused to start or stopped trading.
public struct LiveRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A refusal that callers and tests tell apart by its kind, never by its text.
    public enum Code: String, Sendable, Hashable {
        /// The account is in hedge mode (`dualSidePosition`); QuantumTrader trades one-way positions only.
        case hedgeMode = "hedge_mode"
    }

    public var message: String
    /// The kind of refusal, when it is one of `Code` (nil: any other).
    public var code: Code?

    public init(_ message: String, code: Code? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}
