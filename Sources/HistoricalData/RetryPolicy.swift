/// How failed requests are retried: 429/418 wait the server's `Retry-After` (capped), 5xx,
/// timeouts and broken connections back off exponentially with jitter; 404 and other 4xx are
/// never retried.
///
/// The wait itself goes through `sleep`, so tests pass a sleeper that records the delays and
/// returns at once (no wall-clock sleeps in tests).
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is cut to it (a ban of hours is not waited out).
    public var maxRetryAfter: Duration
    /// Times a zip whose SHA-256 differs from its `.CHECKSUM` is fetched again from scratch.
    public var maxChecksumAttempts: Int
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                maxRetryAfter: Duration = .seconds(120), maxChecksumAttempts: Int = 3,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.maxChecksumAttempts = max(1, maxChecksumAttempts)
        self.sleep = sleep
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1). `retryAfter` is the server's
    /// hint; `key` (the URL) spreads the jitter of parallel requests deterministically.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, key: String) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxRetryAfter) }
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        // Deterministic jitter in [0.5, 1.0) of the ceiling from an FNV-1a hash of key and attempt.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ UInt64(attempt)) &* 0x0000_0100_0000_01B3
        let fraction = 0.5 + Double(hash % 1000) / 2000
        return ceiling * fraction
    }
}
