import TradingEngine

/// Collects values from concurrent callbacks; a test waits for a condition without sleeping.
final class Observed<Value: Sendable>: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = Mutex()
    private var items: [Value] = []
    private var waiters: [(condition: ([Value]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []

    func append(_ value: Value) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            items.append(value)
            let snapshot = items
            let fired = waiters.filter { $0.condition(snapshot) }.map(\.continuation)
            waiters.removeAll { $0.condition(snapshot) }
            return fired
        }
        for continuation in ready { continuation.resume() }
    }

    var values: [Value] { lock.withLock { items } }

    func wait(until condition: @escaping ([Value]) -> Bool) async {
        await withCheckedContinuation { continuation in
            let now: Bool = lock.withLock {
                if condition(items) { return true }
                waiters.append((condition, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
