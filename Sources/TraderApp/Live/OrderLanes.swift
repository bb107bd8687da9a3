import Synchronization
import TradingEngine
import TradingModel

/// The live runtime's REST lanes: venue calls run off the runtime's loop, so a slow or hanging
/// call never holds back the next price event. Exits (reduce-only closes, backstops, cancels)
/// and status queries each run at once in their own task, a submit bounded by `exitTimeout` (no
/// answer in time → outcome unknown → queried, never resent); entries (leverage, then the order)
/// run one at a time in their own lane; reconciliation reads run off the loop too. Every result
/// comes back into the runtime's one input stream as `.orderOutcome`, handled in order (every
/// job ends with one, so an observer sees the lanes fall quiet).
///
/// Shutdown is bounded (`shutdown(grace:)`): calls still in flight get until the grace ends on
/// the injected `sleep`; a call without an answer by then becomes an unknown outcome (the order
/// is recorded `UNKNOWN` and queried at the next start), so a call that never returns never
/// blocks the end of the session. Each call runs in a task of its own (`InFlightCalls`) for that.
public final class OrderLanes: Sendable {
    public enum Job: Sendable {
        /// An order; for an entry, the leverage to set first (not sent when that fails).
        case submit(OrderRequest, leverage: Int?)
        case cancel(ClientOrderID, symbol: Symbol)
        /// An order-status query (unknown outcome).
        case query(OrderRequest)
        /// The venue's positions and open orders, for a reconciliation; `gapSequence`: the
        /// runtime's count of user-data gaps when the reads were asked for.
        case readVenue(gapSequence: UInt64, reply: ReconcileReply?)
    }

    let client: any ExecutionClient
    let exitTimeout: Duration?
    let sleep: @Sendable (Duration) async throws -> Void
    let deliver: @Sendable (RuntimeInput) -> Void
    private let entryJobs: AsyncStream<Job>
    private let entryContinuation: AsyncStream<Job>.Continuation
    private let otherJobs: AsyncStream<Job>
    private let otherContinuation: AsyncStream<Job>.Continuation
    /// Jobs sent and not finished (lock-protected).
    private let pending = PendingCount()
    /// Venue calls without an answer yet.
    let calls = InFlightCalls()
    /// After `beginShutdown`: outcomes are collected here instead of delivered.
    private let closing = ClosingOutcomes()

    /// True while a job is queued or running (tests wait for quiet lanes).
    public var isBusy: Bool { pending.value > 0 }

    /// Jobs sent and not finished yet (queued or running).
    var pendingJobs: Int { pending.value }

    /// - Parameters:
    ///   - exitTimeout: an exit submit without an answer in this time is an unknown outcome (nil: the transport's timeout).
    ///   - sleep: waits for the exit timeout and the shutdown grace (the session's injected sleep).
    ///   - deliver: puts an outcome into the runtime's input stream.
    public init(client: any ExecutionClient, exitTimeout: Duration?, sleep: @escaping @Sendable (Duration) async throws -> Void,
                deliver: @escaping @Sendable (RuntimeInput) -> Void) {
        self.client = client
        self.exitTimeout = exitTimeout
        self.sleep = sleep
        self.deliver = deliver
        (entryJobs, entryContinuation) = AsyncStream.makeStream(of: Job.self)
        (otherJobs, otherContinuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues `job`: entries in their serial lane, everything else at once. A job sent after
    /// the lanes finished is not performed.
    public func send(_ job: Job) {
        pending.add(1)
        let result = if case .submit(let order, _) = job, order.isEntry {
            entryContinuation.yield(job)
        } else {
            otherContinuation.yield(job)
        }
        if case .terminated = result { pending.add(-1) }
    }

    /// Runs the lanes until they are finished (`finish`, `shutdown`) or cancelled (then every
    /// call in flight ends as an unknown outcome).
    public func run() async {
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    for await job in entryJobs { await complete(job, timeout: nil) }
                }
                for await job in otherJobs {
                    let timeout: Duration? = if case .submit = job { exitTimeout } else { nil }
                    group.addTask { [self] in await complete(job, timeout: timeout) }
                }
            }
        } onCancel: {
            calls.abandonAll(reason: "the order lanes were cancelled")
        }
    }

    /// Ends the lanes: no new job is taken (jobs already queued are still performed unless the
    /// shutdown began); calls in flight still answer.
    public func finish() {
        entryContinuation.finish()
        otherContinuation.finish()
    }

    /// From now on no venue call is started — a job still queued (an entry behind another in
    /// its lane, or sent while the last input was handled) ends as not sent with an unknown
    /// outcome (recorded `UNKNOWN`, queried at the next start, never resent) — and outcomes are
    /// kept for `shutdown` instead of delivered (the session's input stream is ending). Every
    /// outcome is either delivered before this call or returned by `shutdown`.
    public func beginShutdown() {
        calls.refuseNewCalls(reason: "the session is stopping")
        closing.begin()
    }

    /// Bounded shutdown: no new call is started (`beginShutdown`); the calls in flight get until `grace` has passed
    /// on the injected `sleep`; every one still without an answer then ends as an unknown
    /// outcome and is abandoned (its late answer is dropped). Returns the outcomes not delivered
    /// (answers that came after `beginShutdown`, and the abandoned calls), for the runtime to record.
    public func shutdown(grace: Duration) async -> [OrderOutcome] {
        beginShutdown()
        finish()
        let sleep = self.sleep
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [calls] in await calls.waitUntilQuiet() }
            group.addTask { try? await sleep(grace) }
            await group.next()
            group.cancelAll()
        }
        calls.abandonAll(reason: "the session stopped before the venue answered (shutdown grace \(grace))")
        // Every wait has ended: the lanes finish their jobs at once (queued ones are not sent).
        await pending.waitUntilZero()
        return closing.take()
    }

    /// Performs `job` in its own task and finishes it with its outcome: the answer, or unknown
    /// when `timeout` passes first (the call may still hang; its late answer is dropped) or the
    /// session shuts down first.
    func complete(_ job: Job, timeout: Duration?) async {
        guard let id = calls.start(job, call: { [self] in await perform(job) }) else {
            finish(InFlightCalls.unknown(job, "the session was stopping; not sent"))
            return
        }
        guard let timeout else {
            finish(await calls.wait(id))
            return
        }
        let (sleep, calls) = (self.sleep, self.calls)
        let outcome = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do { try await sleep(timeout) } catch { return }
                calls.timeOut(id, reason: "no answer within \(timeout); querying")
            }
            let outcome = await calls.wait(id)
            group.cancelAll()
            return outcome
        }
        finish(outcome)
    }

    /// Counts a job done, then hands its outcome (if any) to the runtime, or keeps it for
    /// `shutdown` once that began.
    func finish(_ outcome: OrderOutcome?) {
        pending.add(-1)
        guard let outcome else { return }
        closing.keepOrDeliver(outcome, deliver)
    }

    func perform(_ job: Job) async -> OrderOutcome? {
        switch job {
        case .submit(let order, let leverage):
            if let leverage {
                do throws(ExecutionError) {
                    try await client.setLeverage(leverage, symbol: order.symbol)
                } catch {
                    return .leverageFailed(order, leverage: leverage, error)
                }
            }
            return await submitOutcome(order)
        case .cancel(let id, let symbol):
            do throws(ExecutionError) {
                try await client.cancel(id, symbol: symbol)
                return .cancelled(id, symbol: symbol)
            } catch {
                return .cancelFailed(id, symbol: symbol, error)
            }
        case .query(let order):
            do throws(ExecutionError) {
                return .queried(order, try await client.order(order.clientOrderID, symbol: order.symbol))
            } catch {
                return .queryFailed(order, error)
            }
        case .readVenue(let sequence, let reply):
            do throws(ExecutionError) {
                let state = VenueState(positions: try await client.positions(), openOrders: try await client.openOrders(symbol: nil))
                return .venueRead(.success(state), gapSequence: sequence, reply: reply)
            } catch {
                return .venueRead(.failure(error), gapSequence: sequence, reply: reply)
            }
        }
    }

    /// One submit, its answer as an outcome.
    func submitOutcome(_ order: OrderRequest) async -> OrderOutcome {
        do throws(ExecutionError) { return .submitted(order, try await client.submit(order)) } catch { return .submitFailed(order, error) }
    }
}

/// Outcomes kept once the lanes began to shut down (lock-protected: `@unchecked Sendable`).
final class ClosingOutcomes: @unchecked Sendable {
    private let lock = Mutex(())
    private var closing = false
    private var kept: [OrderOutcome] = []
    func begin() { lock.withLock { _ in closing = true } }
    /// Keeps `outcome` when shutting down, else delivers it, under the lock: an outcome is
    /// delivered before `begin` returns or kept.
    func keepOrDeliver(_ outcome: OrderOutcome, _ deliver: (RuntimeInput) -> Void) {
        lock.withLock { _ in
            if closing { kept.append(outcome) } else { deliver(.orderOutcome(outcome)) }
        }
    }
    func take() -> [OrderOutcome] { lock.withLock { _ in defer { kept = [] }; return kept } }
}

/// A counter shared by the lanes' tasks (lock-protected: `@unchecked Sendable`).
final class PendingCount: @unchecked Sendable {
    private let lock = Mutex(())
    private var count = 0
    private var zeroWaiters: [CheckedContinuation<Void, Never>] = []
    func add(_ delta: Int) {
        let waiters: [CheckedContinuation<Void, Never>] = lock.withLock { _ in
            count += delta
            guard count <= 0 else { return [] }
            defer { zeroWaiters = [] }
            return zeroWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
    var value: Int { lock.withLock { _ in count } }

    /// Returns once the count is zero (at once when it is), or when the task is cancelled.
    func waitUntilZero() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock { _ in
                    if count <= 0 || Task.isCancelled { return true }
                    zeroWaiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiters: [CheckedContinuation<Void, Never>] = lock.withLock { _ in
                defer { zeroWaiters = [] }
                return zeroWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }
}
