import Synchronization
import TradingEngine

/// Collects values from concurrent callbacks; a test waits for a condition without sleeping.
/// A waiting task that is cancelled returns at once (bounded waits race several sources).
public final class Observed<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    private let lock = Mutex(())
    private var items: [Value] = []
    private var waiters: [Int: (condition: ([Value]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiterID = 0

    public init() {}

    public func append(_ value: Value) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock { _ in
            items.append(value)
            let snapshot = items
            let fired = waiters.filter { $0.value.condition(snapshot) }
            for id in fired.keys { waiters[id] = nil }
            return fired.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    public var values: [Value] { lock.withLock { _ in items } }
    public var count: Int { lock.withLock { _ in items.count } }

    /// Suspends until `condition` holds (checked at every append) or the task is cancelled.
    public func wait(until condition: @escaping ([Value]) -> Bool) async {
        let id: Int = lock.withLock { _ in
            nextWaiterID += 1
            return nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock { _ in
                    if condition(items) || Task.isCancelled { return true }
                    waiters[id] = (condition, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { _ in waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }
}

/// A value set once, read from any task (lock-protected: `@unchecked Sendable`).
public final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = Mutex(())
    private var stored: Value
    public init(_ value: Value) { stored = value }
    public var value: Value {
        get { lock.withLock { _ in stored } }
        set { lock.withLock { _ in stored = newValue } }
    }
    public func update<T>(_ body: (inout Value) -> T) -> T { lock.withLock { _ in body(&stored) } }
}
