import TradingEngine
import TradingModel

/// One section of what `qt diagnose --venue` asked the exchange: read, failed with the venue's
/// reason, or not asked because an earlier failure made the answer pointless (bad keys, the venue
/// down or rate limiting us). Only `.read` is a fact; the others are never shown as if complete.
public enum VenueRead<Value: Sendable>: Sendable {
    case read(Value)
    case failed(VenueReadFailure)
    case notTried(String)

    public var value: Value? {
        if case .read(let value) = self { return value }
        return nil
    }

    /// Why the section has no value (nil when read).
    public var problem: String? {
        switch self {
        case .read: nil
        case .failed(let failure): "NOT READ: \(failure)"
        case .notTried(let why): "NOT READ: \(why)"
        }
    }
}

/// A venue read that failed: the endpoint, the failure by how it is handled, the venue's error
/// code when it sent one, and its message (never the keys).
public struct VenueReadFailure: Sendable, Hashable, CustomStringConvertible {
    public var endpoint: String
    public var kind: ExecutionErrorKind
    public var code: Int?
    public var message: String
    /// Attempts made (retries of a transient or rate-limited answer included).
    public var attempts: Int

    public init(endpoint: String, error: ExecutionError, attempts: Int) {
        self.endpoint = endpoint
        kind = error.kind
        code = error.code
        message = error.message
        self.attempts = attempts
    }

    /// The keys were refused: `-2015` (key, IP or permission), `-2014` (key format), `-1022` (signature), `-2008`.
    public var keysRejected: Bool { [-2015, -2014, -1022, -2008].contains(code ?? 0) }

    /// A failure every later call would meet too: bad keys, the venue unreachable or slow after
    /// retries, or a rate limit (asking again during a back-off earns a ban).
    public var stopsFurtherReads: Bool {
        if keysRejected { return true }
        switch kind {
        case .transient, .rateLimited, .unknownStatus: return true
        case .configuration, .rejected: return false
        }
    }

    public var description: String {
        let what = keysRejected ? "the API keys were rejected" : MoneyFlowReport.kindName(kind)
        let tries = attempts > 1 ? ", \(attempts) attempts" : ""
        return "\(endpoint): \(what)\(code.map { " (code \($0))" } ?? "")\(tries): \(DisplayText.escaped(message))"
    }
}
