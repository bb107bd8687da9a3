import Synchronization
import TradingModel

/// The engine's only source of "now". Backtests advance a `ManualClock` with event time;
/// live trading injects a system clock from the app. Engine code never reads the wall clock.
public protocol TradingClock: Sendable {
    var now: Timestamp { get }
}

/// A clock set by hand (backtests and tests).
public final class ManualClock: TradingClock, @unchecked Sendable {
    // @unchecked: the value is guarded by `lock`.
    private let lock = Mutex(())
    private var current: Timestamp

    public init(_ start: Timestamp = Timestamp(milliseconds: 0)) { current = start }

    public var now: Timestamp { lock.withLock { _ in current } }

    public func set(_ time: Timestamp) { lock.withLock { _ in current = time } }

    public func advance(by span: Duration) { lock.withLock { _ in current = current.advanced(by: span) } }
}
