import TradingModel

/// Inputs the real-time runtime needs beyond a replay (timer ticks: TradingKernel+Timers): manual closes, blocked
/// entries and the adoption of a venue position found without an owner (reconciliation).
extension TradingKernel {
    /// Asks the owner of symbol `index` to close the whole position (reduce-only, through the
    /// owner). Returns false when the symbol has no owner.
    @discardableResult
    public mutating func requestClose(symbolIndex index: Int, time: Timestamp, into actions: inout [KernelAction]) -> Bool {
        guard hasOwner[index] else { return false }
        symbols[index].pendingSignal = nil
        hasPendingSignal[index] = false
        callOwner(.manualClose(time), symbolIndex: index, into: &actions)
        return true
    }

    /// Drops the signal waiting for symbol `index` (entries are blocked); returns it.
    public mutating func dropPendingSignal(symbolIndex index: Int) -> Signal? {
        let signal = symbols[index].pendingSignal
        symbols[index].pendingSignal = nil
        hasPendingSignal[index] = false
        return signal
    }

    /// The entry order in flight for symbol `index`, if any.
    public func pendingEntry(symbolIndex index: Int) -> PendingEntry? { symbols[index].pendingEntry }

    /// Takes over a venue position that has no owner: books it in the portfolio at its entry
    /// price (no fee: it was paid before this run), creates its exit owner from `entry` (the plan
    /// made from the actual entry price and leverage) and starts it, so its first actions (the
    /// exchange backstop) come before anything else. `adoptionID` names the synthetic entry.
    ///
    /// The portfolio may already hold the position without an owner (a fill the kernel did not
    /// ask for: a manual order on the venue, a position flipped by hand, an entry that filled
    /// after it was given up): the slot is then re-booked at the venue's size and entry price
    /// instead of being booked twice. A symbol that already has an owner is left alone (alert).
    /// `restoring` is the saved exit state of the position from an earlier process, handed to
    /// the owner factory in `ExitOwnerContext.restoredState`.
    ///
    /// An entry of the kernel still in flight for the symbol (its fills were neither reported nor
    /// found in the trade history) is resolved by the adoption: the venue's position is the
    /// truth and holds whatever the entry filled, so the entry stops being pending (entries of
    /// the symbol are no longer held by it, and reconciliation no longer looks for its fills)
    /// and a late report of one of its executions up to `time` is ignored rather than booked a
    /// second time (`AbsorbedEntry`; alert `kernel.entry_absorbed`). Its executions after `time`
    /// are new and booked on the adopted position.
    public mutating func adopt(_ entry: ApprovedEntry, position: Position, adoptionID: ClientOrderID, symbolIndex index: Int,
                               time: Timestamp, restoring: ExitStateSnapshot? = nil, into actions: inout [KernelAction]) {
        guard !hasOwner[index] else {
            actions.append(.alert(Alert(severity: .warning, kind: "kernel.adopt_skipped",
                                        message: "\(position.symbol) already has an exit owner; adoption skipped", symbol: position.symbol, time: time)))
            return
        }
        if let pending = symbols[index].pendingEntry {
            symbols[index].pendingEntry = nil
            pendingEntryID[index] = nil
            symbols[index].absorbedEntry = AbsorbedEntry(orderID: pending.orderID, time: time)
            actions.append(.alert(Alert(severity: .warning, kind: "kernel.entry_absorbed",
                                        message: "entry \(pending.orderID) was in flight when \(position.symbol) was adopted; the adopted position "
                                            + "holds its executions so far and the entry is no longer pending", symbol: position.symbol, time: time)))
        }
        symbols[index].leverage = position.leverage
        if portfolio.sideSign[index] != 0 {
            portfolio.rebook(symbolIndex: index, side: position.side, quantity: position.quantity, entryPrice: position.entryPrice,
                             leverage: position.leverage, time: time)
        } else {
            let fill = Fill(clientOrderID: adoptionID, symbol: position.symbol, side: position.side.entryOrderSide, price: position.entryPrice,
                            quantity: position.quantity, fee: .zero, liquidity: .taker, time: time)
            _ = portfolio.apply(fill, symbolIndex: index, leverage: position.leverage)
        }
        guard let ledger = portfolio.slots[index] else { return }
        createOwner(entry: PendingEntry(orderID: adoptionID, approved: entry, filled: position.quantity), position: ledger.position,
                    symbolIndex: index, time: time, restoring: restoring)
        onTimer(time: time, symbolIndex: index, into: &actions)
    }

    /// True when symbol `index` holds a position that no exit owner protects and no entry of
    /// the kernel is in flight for (a fill the kernel did not ask for): the runtime reconciles.
    public func holdsUnownedPosition(symbolIndex index: Int) -> Bool {
        portfolio.sideSign[index] != 0 && !hasOwner[index]
    }

    /// The venue reports leverage `leverage` for symbol `index` (changed by hand): the next
    /// entry sets its own leverage again instead of assuming the old one.
    public mutating func noteVenueLeverage(_ leverage: Int, symbolIndex index: Int) {
        if symbols[index].leverage != leverage { symbols[index].leverage = leverage }
    }
}

extension TradingKernel {
    /// A risk event for the entry gate's risk engine (the equity at a bar close, a halt or resume
    /// by hand); the actions it causes are emitted as `.risk`.
    @inlinable
    public mutating func onRisk(_ event: RiskEvent, into actions: inout [KernelAction]) {
        for action in gate.onRisk(event) { actions.append(.risk(action)) }
    }

    /// The state of the entry gate's risk engine (nil: the gate has none).
    @inlinable public var riskState: RiskState? { gate.riskState }
}
