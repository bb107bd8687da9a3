import Alerts
import Logging
import TradingEngine
import TradingModel

/// A clock the test moves; `sleep` waits until the clock reached the deadline (never the wall
/// clock), and records what was asked.
final class SteppedClock: TradingClock, @unchecked Sendable {
    let time: WatchedValue<Timestamp>
    let sleeps = WatchedValue<[Duration]>([])
    init(_ start: Timestamp) { time = WatchedValue(start) }
    var now: Timestamp { time.current }
    func set(_ value: Timestamp) { time.update { $0 = value } }
    func advance(by span: Duration) { time.update { $0 = $0.advanced(by: span) } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] span in
            let deadline = now.advanced(by: span)
            sleeps.update { $0.append(span) }
            await time.wait { $0 >= deadline }
            if Task.isCancelled { throw CancellationError() }
        }
    }
}

let quietLogger = Logger(label: "alerts-test", factory: { _ in SwiftLogNoOpLogHandler() })
