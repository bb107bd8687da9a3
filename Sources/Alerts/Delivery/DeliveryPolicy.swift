/// How a notifier retries: up to `maxAttempts` attempts, waiting `initialBackoff`, doubling up to
/// `maxBackoff` (or the channel's `retry_after` when it asks), each attempt bounded by
/// `attemptTimeout`. The queue holds at most `queueCapacity` messages.
public struct DeliveryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var attemptTimeout: Duration
    public var queueCapacity: Int
    /// At shutdown, queued messages are still tried for this long, then recorded as dropped.
    public var drainTimeout: Duration

    public init(maxAttempts: Int = 5, initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30),
                attemptTimeout: Duration = .seconds(10), queueCapacity: Int = 200, drainTimeout: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.attemptTimeout = attemptTimeout
        self.queueCapacity = max(1, queueCapacity)
        self.drainTimeout = drainTimeout
    }

    /// The wait before attempt `attempt + 1` after `attempt` failed with `error`.
    public func backoff(after attempt: Int, error: DeliveryError) -> Duration {
        if case .rateLimited(let retryAfter) = error.kind { return retryAfter }
        var wait = initialBackoff
        for _ in 1..<max(1, attempt) {
            wait = wait * 2
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }
}
