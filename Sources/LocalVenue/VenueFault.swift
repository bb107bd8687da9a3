/// A fault the venue injects into REST answers, scripted per test through `VenueController.inject`.
public enum VenueFault: Sendable, Hashable {
    /// A 5xx that was *not* executed (e.g. 503 "Service Unavailable.", 500 -1001).
    case serverError(status: Int, code: Int, message: String)
    /// HTTP 429 with `-1003` and `Retry-After: seconds`. Any request during that back-off (venue
    /// time) gets 418 "banned", so a client that ignores it is caught.
    case rateLimited(retryAfterSeconds: Int)
    /// HTTP 400 `-1021` (timestamp outside the recvWindow), request not executed.
    case timestampRejected
    /// The request *is executed* (the order is accepted), but the answer is HTTP 503 `-1007`
    /// "Timeout waiting for response from backend server. Send status unknown; execution status unknown."
    case acceptedThenTimedOut
    /// The request *is executed*, then the connection closes with no answer (a client-side
    /// timeout or reset: the client cannot know the outcome).
    case acceptedThenConnectionLost
    /// HTTP 200 whose body is `text` as it is (a truncated or reshaped payload).
    case malformedAnswer(String)
    /// The request is executed but the answer is held until `VenueController.releaseSlowAnswers()`
    /// (a venue slower than the client's timeout; nothing sleeps).
    case slowAnswer

    /// The common "executed but unknown" 503 message of Binance.
    public static let unknownStatusMessage =
        "Timeout waiting for response from backend server. Send status unknown; execution status unknown."
}

/// A scripted fault: applies to requests matching `method`/`path` (nil = any), `remaining` times.
struct VenueFaultRule: Sendable, Hashable {
    var method: String?
    var path: String?
    var fault: VenueFault
    var remaining: Int

    func matches(_ request: VenueRequest) -> Bool {
        (method == nil || method == request.method) && (path == nil || path == request.path)
    }
}
