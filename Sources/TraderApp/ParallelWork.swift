import Foundation

/// Runs independent, synchronous pieces of work on the cores available and returns their results
/// in index order (`DispatchQueue.concurrentPerform`: blocks the caller until every piece is
/// done, so it fits the synchronous backtest path; no task outlives the call).
enum ParallelWork {
    static func map<Value: Sendable>(count: Int, _ body: @Sendable (Int) -> Value) -> [Value] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<Value>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in slots.set(index, body(index)) }
        return slots.values
    }

    /// One result slot per index, written once each by its own piece of work. Lock-protected
    /// (`@unchecked Sendable`): the writes come from several threads.
    private final class Slots<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Value?]

        init(count: Int) { stored = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: Value) { lock.withLock { stored[index] = value } }

        var values: [Value] { lock.withLock { stored.map { $0! } } }
    }
}
