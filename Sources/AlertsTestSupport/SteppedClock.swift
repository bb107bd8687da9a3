import Alerts
import TradingEngine
import TradingModel

/// A clock the test moves; `sleep` waits until the clock reached the deadline (never the wall
/// clock) and records what was asked.
public final class SteppedClock: TradingClock, @unchecked Sendable {
    // @unchecked: both values are `WatchedValue`s (lock-protected).
    public let time: WatchedValue<Timestamp>
    public let sleeps = WatchedValue<[Duration]>([])
    public init(_ start: Timestamp) { time = WatchedValue(start) }
    public var now: Timestamp { time.current }
    public func set(_ value: Timestamp) { time.update { $0 = value } }
    public func advance(by span: Duration) { time.update { $0 = $0.advanced(by: span) } }
    public var sleep: @Sendable (Duration) async throws -> Void {
        { [self] span in
            let deadline = now.advanced(by: span)
            sleeps.update { $0.append(span) }
            await time.wait { $0 >= deadline }
            if Task.isCancelled { throw CancellationError() }
        }
    }
}
