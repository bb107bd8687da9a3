import Synchronization
import TradingEngine

/// A value guarded by a lock whose changes can be awaited (`wait(until:)`), so a worker can
/// sleep until there is work and tests can wait on a condition without polling or sleeping.
/// A lock-protected box (`@unchecked Sendable`: `value` and `waiters` are accessed under `lock`).
public final class WatchedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = Mutex(())
    private var value: Value
    private var waiters: [(id: Int, check: @Sendable (Value) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextID = 0

    public init(_ value: Value) { self.value = value }

    /// The current value.
    public var current: Value { lock.withLock { _ in value } }

    /// Changes the value and wakes every waiter whose condition now holds; returns `body`'s result.
    @discardableResult
    public func update<T>(_ body: (inout Value) -> T) -> T {
        let (result, ready): (T, [CheckedContinuation<Void, Never>]) = lock.withLock { _ in
            let result = body(&value)
            var ready: [CheckedContinuation<Void, Never>] = []
            waiters.removeAll { waiter in
                guard waiter.check(value) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return (result, ready)
        }
        for continuation in ready { continuation.resume() }
        return result
    }

    /// Returns once `condition` holds (at once if it does now), or when the task is cancelled.
    public func wait(until condition: @escaping @Sendable (Value) -> Bool) async {
        let id: Int = lock.withLock { _ in
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock { _ in
                    if condition(value) || Task.isCancelled { return true }
                    waiters.append((id, condition, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, Never>? = lock.withLock { _ in
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index).continuation
            }
            continuation?.resume()
        }
    }
}
