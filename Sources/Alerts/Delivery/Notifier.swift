/// A channel that delivers alert messages to people (Telegram, a webhook). One call is one
/// attempt: retries, back-off, the queue and the record of the result belong to `DeliveryQueue`.
public protocol Notifier: Sendable {
    /// `telegram`, `webhook`: recorded with every message.
    var channel: String { get }
    /// Delivers `message` once; returns what the channel answered (`message 42`), or throws how
    /// it failed, classified for the retry policy.
    func deliver(_ message: AlertMessage) async throws(DeliveryError) -> String
}

/// Why a delivery attempt failed, classified by how it is handled.
public struct DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Worth retrying after the back-off (5xx, connection refused, timeout).
        case transient
        /// The channel asked us to wait this long first (HTTP 429 `retry_after`).
        case rateLimited(retryAfter: Duration)
        /// The channel refused the message for good (bad token, unknown chat, 4xx): not retried.
        case rejected
    }

    public var kind: Kind
    /// What happened, without any secret (`HTTP 500`, `timed out after 10 s`).
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
