import Foundation

/// A task executor with threads of its own, outside Swift's cooperative pool. Tasks that prefer
/// it (`withTaskExecutorPreference`, `Task(executorPreference:)`, and the child tasks and
/// default actors they use) keep running while every thread of the pool is busy: the full test
/// suite runs hundreds of synchronous, CPU-bound tests (backtests, model training) on the pool's
/// one thread per core, which otherwise holds back a waiting async test for as long as they run.
/// `@unchecked Sendable`: the queue is guarded by `condition`.
public final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0

    /// Starts `threads` threads named `name` (they live as long as the process).
    public init(name: String, threads: Int) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in serve() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            queue.append(job)
            condition.signal()
        }
    }

    private func serve() {
        let executor = asUnownedTaskExecutor()
        while true {
            let job: UnownedJob = condition.withLock {
                while head == queue.count { condition.wait() }
                let job = queue[head]
                head += 1
                if head > 1024 && head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
                return job
            }
            job.runSynchronously(on: executor)
        }
    }
}
