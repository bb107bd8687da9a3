import Synchronization
import TradingEngine
import TradingModel

/// One input of the live runtime, drained in order by its single loop.
public enum RuntimeInput: Sendable, Hashable {
    case market(MarketEvent)
    /// A venue report that arrived on the execution client's stream (live venues).
    case execution(ExecutionEvent)
    /// A tick of the runtime's clock (owner retries, backstop deadlines, watchdog, staleness).
    case timer(Timestamp)
    /// `qt close SYMBOL` (nil = every open position): closed by the exit owner, reduce-only.
    case closeRequest(Symbol?)
    /// Reconcile with the venue again (after a reconnect of the user-data stream). Sent through
    /// the loop so it never interleaves with another input; a failure keeps entries blocked.
    /// `reply`, when given, receives whether it succeeded.
    case reconcile(reply: ReconcileReply?)
    /// The venue's order stream is out of sync (false: entries blocked, exits keep running) or
    /// in sync again (true), as the user-data stream's resync state machine reports.
    case venueStreamInSync(Bool)
    /// A market-data connection reconnected (false: entries held until the session's resync and
    /// reconciliation succeeded; exits keep running on the new connection's prices), or all
    /// market streams are resynced again (true).
    case marketStreamInSync(Bool)
    /// The venue's listing was read again: current filters and which symbols may take entries.
    case instrumentsRefreshed([InstrumentStatus])
    /// The adapter dropped a venue message (unparseable or absurd values): alerted.
    case venueMessageDropped(DroppedVenueMessage)
    /// The market-data source ended (end of a replayed file).
    case endOfMarketData
    /// Account news from the venue (margin call, leverage changed by hand): alerted and re-checked.
    case venueNotice(VenueNotice)
    /// The result of a venue call made off the loop (`OrderLanes`, live sessions).
    case orderOutcome(OrderOutcome)
}

/// Venue reports waiting to be routed, FIFO. Execution clients that report synchronously (the
/// simulated exchange of paper trading, test doubles) append here before the call that produced
/// the report returns, so the runtime routes them before it reads the next market event: a paper
/// replay is deterministic. A lock-protected box (`@unchecked Sendable`: `lock` guards `events`).
public final class ExecutionInbox: @unchecked Sendable {
    private let lock = Mutex(())
    private var events: [ExecutionEvent] = []

    public init() {}

    public func append(_ event: ExecutionEvent) { lock.withLock { _ in events.append(event) } }

    public func append(contentsOf batch: [ExecutionEvent]) { lock.withLock { _ in events += batch } }

    /// Removes and returns everything queued.
    public func drain() -> [ExecutionEvent] {
        lock.withLock { _ in
            let batch = events
            events.removeAll(keepingCapacity: true)
            return batch
        }
    }

    public var isEmpty: Bool { lock.withLock { _ in events.isEmpty } }
}

/// Carries the outcome of a `.reconcile` input back to whoever asked (the user-data stream's
/// resync step waits for it). Hashable by identity. A lock-protected box (`@unchecked Sendable`).
public final class ReconcileReply: Hashable, @unchecked Sendable {
    private let lock = Mutex(())
    private var outcome: Bool?
    private var waiter: CheckedContinuation<Bool, Never>?

    public init() {}

    /// Waits for the outcome (true: reconciled). A cancelled waiter gets false (the loop that
    /// would answer may be gone: a session shutting down must not hang here).
    public func value() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Bool? = lock.withLock { _ in
                    if let outcome { return outcome }
                    waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            resolve(false)
        }
    }

    func resolve(_ success: Bool) {
        let waiting: CheckedContinuation<Bool, Never>? = lock.withLock { _ in
            guard outcome == nil else { return nil }
            outcome = success
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: success)
    }

    public static func == (lhs: ReconcileReply, rhs: ReconcileReply) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
