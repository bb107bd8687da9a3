import TradingEngine

/// Collects values from concurrent callbacks; a test waits for a condition without sleeping.
final class Observed<Value: Sendable>: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = Mutex()
    private var items: [Value] = []
    private var waiters: [Int: (condition: ([Value]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiterID = 0

    func append(_ value: Value) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            items.append(value)
            let snapshot = items
            let fired = waiters.filter { $0.value.condition(snapshot) }
            for id in fired.keys { waiters[id] = nil }
            return fired.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    var values: [Value] { lock.withLock { items } }

    /// Suspends until `condition` holds (checked at every append) or the task is cancelled (a
    /// test over its time limit then ends instead of hanging the run).
    func wait(until condition: @escaping ([Value]) -> Bool) async {
        let id: Int = lock.withLock {
            nextWaiterID += 1
            return nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock {
                    if condition(items) || Task.isCancelled { return true }
                    waiters[id] = (condition, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }
}
