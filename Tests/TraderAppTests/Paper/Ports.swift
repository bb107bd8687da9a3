import Synchronization
import TradingEngine

/// The port the session reported (set from its callback).
final class Ports: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = Mutex(())
    private var port: Int?
    func set(_ value: Int) { lock.withLock { _ in port = value } }
    var value: Int? { lock.withLock { _ in port } }
}
