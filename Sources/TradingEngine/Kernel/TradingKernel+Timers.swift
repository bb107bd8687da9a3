import TradingModel

/// Timer ticks and whole-book requests for exit owners. Kept apart from the per-bar hot path:
/// a runtime calls these at most once per bar (backtest) or per second (live).
extension TradingKernel {
    /// Sends `.timer(time)` to the owner of symbol `index` (retries, deadlines, and, right after
    /// creation, the backstop) and performs its actions.
    @inlinable
    public mutating func onTimer(time: Timestamp, symbolIndex index: Int, into actions: inout [KernelAction]) {
        guard hasOwner[index] else { return }
        callOwner(.timer(time), symbolIndex: index, into: &actions)
    }

    /// Sends `.timer(time)` to every owner.
    @inlinable
    public mutating func onTimer(time: Timestamp, into actions: inout [KernelAction]) {
        for index in symbols.indices where hasOwner[index] {
            onTimer(time: time, symbolIndex: index, into: &actions)
        }
    }

    /// Asks every owner to close its position (e.g. the risk engine's `flattenAll`); the trades
    /// are recorded with `reason`. Pending signals are dropped and entries in flight cancelled.
    @inlinable
    public mutating func closeAll(reason: ExitReason, time: Timestamp, into actions: inout [KernelAction]) {
        for index in symbols.indices {
            symbols[index].pendingSignal = nil
            hasPendingSignal[index] = false
            if let pending = symbols[index].pendingEntry {
                actions.append(.cancel(pending.orderID, symbol: instruments[index].symbol))
            }
            guard hasOwner[index], symbols[index].closeRequest == nil else { continue }
            symbols[index].closeRequest = reason
            callOwner(.manualClose(time), symbolIndex: index, into: &actions)
        }
    }

    /// A runtime guard (the watchdog) is force-closing symbol `index`'s open position: the trade
    /// is named `reason` (unless a close is already requested), and no entry is taken until flat.
    /// Nothing happens when the symbol is flat.
    @inlinable
    public mutating func noteForceClose(reason: ExitReason, symbolIndex index: Int) {
        guard portfolio.sideSign[index] != 0, symbols[index].closeRequest == nil else { return }
        symbols[index].closeRequest = reason
    }

    /// The live status of symbol `index`'s owner (nil without an owner or when it reports none).
    @inlinable
    public func exitStatus(symbolIndex index: Int) -> ExitStatus? {
        hasOwner[index] ? symbols[index].owner?.exitStatus : nil
    }
}
