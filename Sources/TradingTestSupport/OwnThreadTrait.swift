import Foundation
import Testing

/// Runs each test case of a suite (or one test) on the heavy-work threads instead of Swift's
/// cooperative pool (two threads on a 2-core machine). Swift Testing starts every test of a run
/// at once; a test whose body is long synchronous work (training, a backtest over files) holds a
/// cooperative thread for seconds, and two of them stall every asynchronous test of the run:
/// live-venue tests then miss their time limits and real read timeouts fire. Under this trait the
/// test's task prefers `HeavyWorkExecutor.shared` (two threads of its own, as many as the pool
/// had), so heavy tests still run two at a time and the cooperative pool stays free.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(HeavyWorkExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Each test case runs on the heavy-work threads, off the cooperative pool (see `OwnThreadTrait`).
    public static var ownThread: Self { Self() }
}

/// A task executor with a fixed number of threads of its own, taking jobs first in, first out.
public final class HeavyWorkExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is guarded by `condition`.
    public static let shared = HeavyWorkExecutor(threads: 2)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "heavy-test-\(index)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
