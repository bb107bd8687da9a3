import TradingModel

/// Read-only views of the kernel's hot per-symbol caches for the drivers (the kernel alone
/// writes them), and the one way to change an instrument's filters.
extension TradingKernel {
    /// Whether symbol `index`'s position has an exit owner.
    @inlinable public func hasOwner(at index: Int) -> Bool { hasOwner[index] }

    /// Whether a signal of symbol `index` waits for its next price event.
    @inlinable public func hasPendingSignal(at index: Int) -> Bool { hasPendingSignal[index] }

    /// The price levels symbol `index`'s exit owner watches (empty without an owner).
    @inlinable public func ownerLevels(at index: Int) -> WatchedPriceLevels { ownerLevels[index] }

    /// Client id of symbol `index`'s entry order in flight, if any.
    @inlinable public func pendingEntryID(at index: Int) -> ClientOrderID? { pendingEntryID[index] }

    /// How many alerts the strategy-alert buffer has room for: 0 until a strategy first raised
    /// one (a strategy without alerts allocates nothing on the bar path).
    public var strategyAlertCapacity: Int { strategyAlertBuffer.capacity }

    /// The venue changed symbol `index`'s filters: new entries are sized and rounded on them.
    public mutating func replaceInstrument(_ instrument: Instrument, at index: Int) {
        instruments[index] = instrument
    }
}
