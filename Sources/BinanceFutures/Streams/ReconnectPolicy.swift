import TradingModel

/// SplitMix64: a small seeded generator so jitter is reproducible in tests.
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// When to reconnect a WebSocket: "full jitter" exponential back-off after failures (delay
/// uniformly in `[0, min(cap, base × 2^attempt)]`, never below `minimumDelay`), reset after a
/// connection stayed up, and a planned reconnect before Binance's 24 h connection limit.
public struct ReconnectPolicy: Sendable, Hashable {
    public var baseDelay: Duration
    public var maximumDelay: Duration
    public var minimumDelay: Duration
    /// Reconnect on our terms after this long (Binance drops connections at 24 h) …
    public var plannedLifetime: Duration
    /// … plus up to this much jitter, so many connections do not reconnect together.
    public var plannedJitter: Duration
    public private(set) var consecutiveFailures: Int = 0
    public private(set) var random: SeededRandom

    public init(seed: UInt64, baseDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(60),
                minimumDelay: Duration = .milliseconds(250), plannedLifetime: Duration = .seconds(23 * 3600),
                plannedJitter: Duration = .seconds(30 * 60)) {
        precondition(plannedLifetime + plannedJitter < .seconds(24 * 3600), "planned reconnect must come before 24 h")
        self.random = SeededRandom(seed: seed)
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.minimumDelay = minimumDelay
        self.plannedLifetime = plannedLifetime
        self.plannedJitter = plannedJitter
    }

    /// The wait before the next attempt after a failed or dropped connection.
    public mutating func delayAfterFailure() -> Duration {
        let exponent = min(consecutiveFailures, 30)
        consecutiveFailures += 1
        let ceilingMs = min(milliseconds(maximumDelay), milliseconds(baseDelay) << Int64(exponent))
        let jittered = Int64.random(in: 0...max(0, ceilingMs), using: &random)
        return .milliseconds(max(milliseconds(minimumDelay), jittered))
    }

    /// A connection stayed up long enough to count as healthy.
    public mutating func connectionSucceeded() { consecutiveFailures = 0 }

    /// When to close and reopen a connection opened at `connectedAt` (always before 24 h).
    public mutating func plannedReconnect(connectedAt: Timestamp) -> Timestamp {
        let jitter = Int64.random(in: 0...milliseconds(plannedJitter), using: &random)
        return connectedAt.advanced(by: plannedLifetime + .milliseconds(jitter))
    }

    func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
