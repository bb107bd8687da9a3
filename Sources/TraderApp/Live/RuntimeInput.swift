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
    case reconcile(hedgeMode: Bool)
    /// The market-data source ended (end of a replayed file).
    case endOfMarketData
}

/// Venue reports waiting to be routed, FIFO. Execution clients that report synchronously (the
/// simulated exchange of paper trading, test doubles) append here before the call that produced
/// the report returns, so the runtime routes them before it reads the next market event: a paper
/// replay is deterministic. A lock-protected box (`@unchecked Sendable`: `lock` guards `events`).
public final class ExecutionInbox: @unchecked Sendable {
    private let lock = Mutex()
    private var events: [ExecutionEvent] = []

    public init() {}

    public func append(_ event: ExecutionEvent) { lock.withLock { events.append(event) } }

    public func append(contentsOf batch: [ExecutionEvent]) { lock.withLock { events += batch } }

    /// Removes and returns everything queued.
    public func drain() -> [ExecutionEvent] {
        lock.withLock {
            let batch = events
            events.removeAll(keepingCapacity: true)
            return batch
        }
    }

    public var isEmpty: Bool { lock.withLock { events.isEmpty } }
}
