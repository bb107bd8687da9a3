import TradingEngine
import TradingModel

/// The live runtime's REST lanes: venue calls run off the runtime's loop, so a slow or hanging
/// call never holds back the next price event. Exits (reduce-only closes, backstops, cancels)
/// and status queries each run at once in their own task, a submit bounded by `exitTimeout` (no
/// answer in time → outcome unknown → queried, never resent); entries (leverage, then the order)
/// run one at a time in their own lane; reconciliation reads run off the loop too. Every result
/// comes back into the runtime's one input stream as `.orderOutcome`, handled in order (every
/// job ends with one, so an observer sees the lanes fall quiet).
public final class OrderLanes: Sendable {
    public enum Job: Sendable {
        /// An order; for an entry, the leverage to set first (not sent when that fails).
        case submit(OrderRequest, leverage: Int?)
        case cancel(ClientOrderID, symbol: Symbol)
        /// An order-status query (unknown outcome).
        case query(OrderRequest)
        /// The venue's positions and open orders, for a reconciliation.
        case readVenue(hedgeMode: Bool, reply: ReconcileReply?)
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

    /// True while a job is queued or running (tests wait for quiet lanes).
    public var isBusy: Bool { pending.value > 0 }

    /// - Parameters:
    ///   - exitTimeout: an exit submit without an answer in this time is an unknown outcome (nil: the transport's timeout).
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

    /// Queues `job`: entries in their serial lane, everything else at once.
    public func send(_ job: Job) {
        pending.add(1)
        if case .submit(let order, _) = job, order.isEntry {
            entryContinuation.yield(job)
        } else {
            otherContinuation.yield(job)
        }
    }

    /// Runs the lanes until cancelled (a task of the session).
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                for await job in entryJobs { await complete(job) }
            }
            for await job in otherJobs {
                if case .submit(let order, _) = job, let exitTimeout {
                    // The answer and the timeout race in two tasks; the first to finish is the
                    // outcome. A call that hangs (and ignores cancellation) holds back nothing:
                    // its late answer is dropped, the order stays unknown and is queried.
                    let race = FirstOutcome()
                    group.addTask { [self] in
                        let outcome = await submitOutcome(order)
                        if race.claim() { finish(outcome) }
                    }
                    group.addTask { [self] in
                        do { try await sleep(exitTimeout) } catch { return }
                        if race.claim() {
                            finish(.submitFailed(order, ExecutionError(.unknownStatus, message: "no answer within \(exitTimeout); outcome unknown, querying")))
                        }
                    }
                } else {
                    group.addTask { [self] in await complete(job) }
                }
            }
            group.cancelAll()
        }
    }

    /// Ends the lanes (session shutdown).
    public func finish() {
        entryContinuation.finish()
        otherContinuation.finish()
    }

    /// Performs `job`, then finishes it with its outcome.
    func complete(_ job: Job) async { finish(await perform(job)) }

    /// Counts a job done, then hands its outcome (if any) to the runtime.
    func finish(_ outcome: OrderOutcome?) {
        pending.add(-1)
        if let outcome { deliver(.orderOutcome(outcome)) }
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
        case .readVenue(let hedgeMode, let reply):
            do throws(ExecutionError) {
                let state = VenueState(positions: try await client.positions(), openOrders: try await client.openOrders(symbol: nil), hedgeMode: hedgeMode)
                return .venueRead(.success(state), reply: reply)
            } catch {
                return .venueRead(.failure(error), reply: reply)
            }
        }
    }

    /// One submit, its answer as an outcome.
    func submitOutcome(_ order: OrderRequest) async -> OrderOutcome {
        do throws(ExecutionError) { return .submitted(order, try await client.submit(order)) } catch { return .submitFailed(order, error) }
    }
}

/// The first of two racing tasks to claim it wins (lock-protected: `@unchecked Sendable`).
final class FirstOutcome: @unchecked Sendable {
    private let lock = Mutex()
    private var claimed = false
    /// True exactly once.
    func claim() -> Bool { lock.withLock { defer { claimed = true }; return !claimed } }
}

/// A counter shared by the lanes' tasks (lock-protected: `@unchecked Sendable`).
final class PendingCount: @unchecked Sendable {
    private let lock = Mutex()
    private var count = 0
    func add(_ delta: Int) { lock.withLock { count += delta } }
    var value: Int { lock.withLock { count } }
}
