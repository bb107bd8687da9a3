import Synchronization
import TradingEngine
import TradingModel

/// The venue calls of `OrderLanes` that have not answered yet. Each call runs in a task of its
/// own and its lane waits here for the first of: the call's answer, the exit timeout, or the
/// session's shutdown deadline. A call that never returns (and ignores cancellation) therefore
/// holds back neither its lane nor the end of the session: its wait ends with an unknown-status
/// outcome and its late answer is dropped (lock-protected: `@unchecked Sendable`).
///
/// Once new calls are refused (`refuseNewCalls`, at the start of a shutdown) no call starts
/// again, whatever is still queued on a lane: the refusal and the start are decided under one
/// lock, so a job the lane takes after the refusal is never sent.
final class InFlightCalls: @unchecked Sendable {
    private enum Slot {
        case running(OrderLanes.Job)
        case waiting(OrderLanes.Job, CheckedContinuation<OrderOutcome?, Never>)
        case answered(OrderOutcome?)
    }

    private let lock = Mutex(())
    private var slots: [Int: Slot] = [:]
    private var nextID = 0
    /// Why new calls are refused (nil: they are started).
    private var refusal: String?
    private var quiet: [CheckedContinuation<Void, Never>] = []

    /// Number of calls whose wait has not ended.
    var count: Int { lock.withLock { _ in slots.count } }

    /// Starts `call` in its own task and returns its id; nil after `refuseNewCalls` or
    /// `abandonAll` (the call is not started: the session is ending).
    func start(_ job: OrderLanes.Job, call: @escaping @Sendable () async -> OrderOutcome?) -> Int? {
        let id: Int? = lock.withLock { _ in
            guard refusal == nil else { return nil }
            nextID += 1
            slots[nextID] = .running(job)
            return nextID
        }
        guard let id else { return nil }
        // Unstructured on purpose: a task group waits for its children, and a call that never
        // returns must not hold back the lanes or the end of the session.
        Task { [self] in resolve(id, with: await call()) }
        return id
    }

    /// Waits for call `id` to end (its answer, a time-out or the shutdown deadline).
    func wait(_ id: Int) async -> OrderOutcome? {
        await withCheckedContinuation { (continuation: CheckedContinuation<OrderOutcome?, Never>) in
            let ready: OrderOutcome?? = lock.withLock { _ in
                switch slots[id] {
                case .running(let job):
                    slots[id] = .waiting(job, continuation)
                    return .none
                case .answered(let outcome):
                    slots[id] = nil
                    return .some(outcome)
                case .waiting, nil:
                    return .some(nil)
                }
            }
            if case .some(let outcome) = ready {
                continuation.resume(returning: outcome)
                signalQuietIfIdle()
            }
        }
    }

    /// Ends call `id` with `outcome`; the first ending wins, later ones are dropped.
    func resolve(_ id: Int, with outcome: OrderOutcome?) {
        let continuation: CheckedContinuation<OrderOutcome?, Never>? = lock.withLock { _ in
            switch slots[id] {
            case .running:
                slots[id] = .answered(outcome)
                return nil
            case .waiting(_, let continuation):
                slots[id] = nil
                return continuation
            case .answered, nil:
                return nil
            }
        }
        continuation?.resume(returning: outcome)
        signalQuietIfIdle()
    }

    /// Ends call `id` as an unknown outcome (`reason` says why), unless it ended already.
    func timeOut(_ id: Int, reason: String) {
        let job: OrderLanes.Job? = lock.withLock { _ in
            switch slots[id] {
            case .running(let job), .waiting(let job, _): job
            default: nil
            }
        }
        guard let job else { return }
        resolve(id, with: Self.unknown(job, reason))
    }

    /// From now on no call is started (`start` answers nil); calls in flight go on.
    func refuseNewCalls(reason: String) {
        lock.withLock { _ in refusal = refusal ?? reason }
    }

    /// Ends every call still waiting as an unknown outcome and starts no new one.
    func abandonAll(reason: String) {
        let ids: [Int] = lock.withLock { _ in
            refusal = refusal ?? reason
            return slots.keys.sorted()
        }
        for id in ids { timeOut(id, reason: reason) }
    }

    /// Returns once no call is in flight (at once when none is), or when the task is cancelled.
    func waitUntilQuiet() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock { _ in
                    if slots.isEmpty || Task.isCancelled { return true }
                    quiet.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiters: [CheckedContinuation<Void, Never>] = lock.withLock { _ in
                defer { quiet = [] }
                return quiet
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    private func signalQuietIfIdle() {
        let waiters: [CheckedContinuation<Void, Never>] = lock.withLock { _ in
            guard slots.isEmpty else { return [] }
            defer { quiet = [] }
            return quiet
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The outcome of a call whose answer did not come: an order's status is unknown (queried,
    /// never resent); a cancel, a query or a read failed (retried by whoever asked).
    static func unknown(_ job: OrderLanes.Job, _ reason: String) -> OrderOutcome {
        let unknown = ExecutionError(.unknownStatus, message: "no answer (\(reason)); outcome unknown")
        let failed = ExecutionError(.transient, message: "no answer (\(reason))")
        switch job {
        case .submit(let order, _): return .submitFailed(order, unknown)
        case .cancel(let id, let symbol): return .cancelFailed(id, symbol: symbol, failed)
        case .query(let order): return .queryFailed(order, unknown)
        case .readVenue(let sequence, let reply): return .venueRead(.failure(failed), gapSequence: sequence, reply: reply)
        }
    }
}
