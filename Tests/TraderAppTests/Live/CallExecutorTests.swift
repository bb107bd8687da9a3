import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Venue calls run where they are told to: a session (or a test) that runs on threads of its own
/// is not held back by the cooperative pool, even when every thread of the pool is busy (the
/// full test suite's synchronous backtests and trainings hold them for seconds at a time).
@Suite("LiveRuntime: order lanes on an executor of their own")
struct CallExecutorTests {
    /// With every thread of the cooperative pool blocked, lanes running on a `DedicatedExecutor`
    /// (with their calls' tasks on it too) perform a call and deliver its outcome. Before, each
    /// call ran in a plain `Task` on the global pool and waited there until a pool thread freed.
    @Test("A venue call of lanes on their own executor answers while every thread of the cooperative pool is blocked", .timeLimit(.minutes(1)))
    func callsRunOnTheGivenExecutorWhileThePoolIsBusy() async throws {
        let executor = DedicatedExecutor(name: "call-executor-test", threads: 1)
        let blockers = PoolBlockers()
        let answeredWhileBlocked = try await withTaskExecutorPreference(executor) {
            let harness = try LiveHarness()
            let (delivered, deliver) = OrderLaneTests.outcomes()
            let lanes = OrderLanes(client: harness.client, exitTimeout: nil, sleep: { _ in }, callExecutor: executor, deliver: deliver)
            return await withTaskGroup(of: Void.self) { group in
                group.addTask { await lanes.run() }  // inherits the executor preference
                await blockers.occupyEveryPoolThread()
                lanes.send(.cancel(ClientOrderID("qt-lv-9-bs")!, symbol: "ATOMUSDT"))
                await delivered.wait { !$0.isEmpty }
                let whileBlocked = blockers.release()
                lanes.finish()
                return whileBlocked
            }
        }
        #expect(answeredWhileBlocked, "the call answered while the pool's threads were all blocked")
    }
}

/// Blocks every thread of the cooperative pool (one detached task per active core, each waiting
/// on a semaphore) until `release()`. A blocker gives up after 30 s so that a test whose work
/// cannot run without the pool fails instead of hanging the process (`release` then says so).
final class PoolBlockers: @unchecked Sendable {
    // @unchecked: `blocked`, `waiter` and `gaveUp` are guarded by `lock`.
    private let lock = NSLock()
    private let gate = DispatchSemaphore(value: 0)
    private let count = ProcessInfo.processInfo.activeProcessorCount
    private var blocked = 0
    private var gaveUp = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Returns once a blocker holds every pool thread (the caller must not run on the pool).
    func occupyEveryPoolThread() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.withLock { waiter = continuation }
            for _ in 0..<count {
                Task.detached { [self] in
                    let all: CheckedContinuation<Void, Never>? = lock.withLock {
                        blocked += 1
                        guard blocked == count else { return nil }
                        defer { waiter = nil }
                        return waiter
                    }
                    all?.resume()
                    if gate.wait(timeout: .now() + 30) == .timedOut { lock.withLock { gaveUp = true } }
                }
            }
        }
    }

    /// Lets the blockers go; true when none had given up (the pool was blocked until now).
    func release() -> Bool {
        for _ in 0..<count { gate.signal() }
        return lock.withLock { !gaveUp }
    }
}
