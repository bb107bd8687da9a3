import Foundation
import TradingEngine
import TradingModel

/// Rate limit of failed logins: after `maxFailures` failures from one address within `window`,
/// further attempts from it are refused without checking the password until the oldest failure
/// leaves the window. Time comes from the injected clock.
/// A lock-protected box (`@unchecked Sendable`: `failures` is accessed under `lock` only).
public final class LoginThrottle: @unchecked Sendable {
    let maxFailures: Int
    let window: Duration
    let clock: any TradingClock
    private let lock = NSLock()
    private var failures: [String: [Timestamp]] = [:]

    public init(maxFailures: Int, window: Duration, clock: any TradingClock) {
        self.maxFailures = max(1, maxFailures)
        self.window = window
        self.clock = clock
    }

    /// Nil when `address` may try now; otherwise how long it must wait.
    public func retryAfter(_ address: String) -> Duration? {
        let now = clock.now
        return lock.withLock {
            let recent = (failures[address] ?? []).filter { now.since($0) < window }
            failures[address] = recent.isEmpty ? nil : recent
            guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
            return window - now.since(oldest)
        }
    }

    public func recordFailure(_ address: String) {
        let now = clock.now
        lock.withLock {
            // Bounded: an address keeps at most `maxFailures` timestamps, and at most 10 000 addresses are kept.
            if failures.count > 10_000 { failures.removeAll() }
            var list = failures[address, default: []]
            list.append(now)
            failures[address] = Array(list.suffix(maxFailures))
        }
    }

    public func recordSuccess(_ address: String) {
        lock.withLock { failures[address] = nil }
    }
}
