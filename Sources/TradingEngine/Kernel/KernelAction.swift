import TradingModel

/// What the kernel asks its runtime to do. The backtest driver performs these against the
/// `SimulatedExchange` synchronously; the live runtime against an `ExecutionClient` and the store.
public enum KernelAction: Sendable, Hashable {
    case setLeverage(Int, symbol: Symbol)
    case submit(OrderRequest)
    case cancel(ClientOrderID, symbol: Symbol)
    case alert(Alert)
    case saveExitState(ExitStateSnapshot)
    /// The entry gate judged a signal (recorded with its reasons; `report`: the validator's full
    /// measurements, when the gate made them). Boxed (`indirect`): the decision is large and rare,
    /// and every other action stays small to copy.
    indirect case decision(EntryDecision, report: ValidationReport?, time: Timestamp)
    /// The entry gate's risk engine changed state or asks for a flatten (record it, alert, close
    /// every position through its owner). Follows the input that caused it.
    case risk(RiskAction)
    /// A round trip finished (reason named by the exit owner or the kernel).
    case tradeClosed(ClosedTrade)
}

/// Everything an exit owner is created from, when its position's entry has filled.
/// `position` already includes the creating fill; that fill is not routed to the new owner
/// again (later partial fills of the entry order are).
///
/// The instrument is referenced, not copied: the context holds the kernel's instrument list
/// (one reference) and the position's index in it; `instrument` reads it in place.
public struct ExitOwnerContext: Sendable {
    public var entry: ApprovedEntry
    public var position: Position
    /// The instruments of the run (the kernel's list, shared) …
    public var instruments: [Instrument]
    /// … and the index of the position's instrument in it.
    public var instrumentIndex: Int
    /// Unique per position within the run (symbol and entry order id; no text per position).
    public var key: PositionKey
    /// Client order ids reserved for this owner (its own run tag).
    public var orderIDs: ClientOrderIDGenerator
    public var time: Timestamp
    /// The saved exit state of this position from an earlier process (a restart adopting it),
    /// for owners that can restore themselves; nil for a new position. Owners that cannot
    /// restore plan from `entry` as for a new position.
    public var restoredState: ExitStateSnapshot?

    /// A context for a position in `instrument`.
    public init(entry: ApprovedEntry, position: Position, instrument: Instrument, positionKey: PositionKey,
                orderIDs: ClientOrderIDGenerator, time: Timestamp) {
        self.init(entry: entry, position: position, instruments: [instrument], instrumentIndex: 0, positionKey: positionKey,
                  orderIDs: orderIDs, time: time)
    }

    /// A context for a position in `instruments[instrumentIndex]` (the kernel's: no copy of the instrument).
    @inlinable
    public init(entry: ApprovedEntry, position: Position, instruments: [Instrument], instrumentIndex: Int, positionKey: PositionKey,
                orderIDs: ClientOrderIDGenerator, time: Timestamp) {
        precondition(instruments.indices.contains(instrumentIndex), "instrument index out of range")
        self.entry = entry
        self.position = position
        self.instruments = instruments
        self.instrumentIndex = instrumentIndex
        self.key = positionKey
        self.orderIDs = orderIDs
        self.time = time
    }

    /// The position's instrument, read in place (not copied to call its methods).
    @inlinable
    public var instrument: Instrument {
        _read { yield instruments[instrumentIndex] }
        _modify { yield &instruments[instrumentIndex] }
    }

    /// The position key's text, `<symbol>-<entry client order id>` (made on each call: for owners
    /// that store or show it).
    public var positionKey: String { key.text }
}
