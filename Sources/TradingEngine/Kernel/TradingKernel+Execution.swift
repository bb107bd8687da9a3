import TradingModel

extension TradingKernel {
    /// A venue report for symbol `index`: entry bookkeeping, portfolio, routing to the owner,
    /// trade close. Not on the per-bar hot path (only when something happens at the venue).
    @inlinable
    public mutating func onExecution(_ event: ExecutionEvent, symbolIndex index: Int, into actions: inout [KernelAction]) {
        switch event {
        case .filled(let fill):
            onFill(fill, symbolIndex: index, into: &actions)
        case .rejected(let id, _, let rejection, let time) where pendingEntryID[index] == id:
            symbols[index].pendingEntry = nil
            pendingEntryID[index] = nil
            actions.append(.alert(Alert(severity: .warning, kind: "kernel.entry_rejected",
                                        message: "entry \(id) rejected: \(rejection)", symbol: event.symbol, time: time)))
        case .canceled(let id, _, _) where pendingEntryID[index] == id:
            symbols[index].pendingEntry = nil
            pendingEntryID[index] = nil
        case .accepted(let id, _, _, _) where pendingEntryID[index] == id:
            break
        case .liquidated(_, let price, _, let time):
            let trade = portfolio.liquidate(symbolIndex: index, price: price, time: time)
            if portfolio.hasFault && !reportedFault { reportFault(time: time, into: &actions) }
            route(event, symbolIndex: index, into: &actions)
            if var trade {
                trade.exitReason = .liquidation
                closeTrade(trade, symbolIndex: index, time: time, into: &actions)
            }
        case .fundingPaid(_, let amount, _, let time):
            portfolio.bookFunding(symbolIndex: index, payment: amount)
            if portfolio.hasFault && !reportedFault { reportFault(time: time, into: &actions) }
            route(event, symbolIndex: index, into: &actions)
        default:
            route(event, symbolIndex: index, into: &actions)
        }
    }

    @inlinable
    mutating func onFill(_ fill: Fill, symbolIndex index: Int, into actions: inout [KernelAction]) {
        if let absorbed = symbols[index].absorbedEntry, absorbed.orderID == fill.clientOrderID, fill.time <= absorbed.time {
            // Already part of the position adopted at `absorbed.time`: not booked twice.
            actions.append(.alert(Alert(severity: .info, kind: "kernel.absorbed_fill_ignored",
                                        message: "late report of \(fill.clientOrderID) (\(fill.side) \(fill.quantity) at \(fill.price)) is part of "
                                            + "the position adopted at \(absorbed.time); not booked again", symbol: fill.symbol, time: fill.time)))
            return
        }
        let isEntry = pendingEntryID[index] == fill.clientOrderID
        let leverage = max(symbols[index].leverage, 1)
        let hadPosition = portfolio.sideSign[index] != 0
        let outcome = portfolio.apply(fill, symbolIndex: index, leverage: leverage)
        if case .unbooked = outcome {
            // Not in our ledger: no owner is created from it; the owner of an open position
            // still hears of the fill, and entries stop (`evaluateEntry`).
            if !reportedFault { reportFault(time: fill.time, into: &actions) }
            route(.filled(fill), symbolIndex: index, into: &actions)
            return
        }
        if isEntry, var pending = symbols[index].pendingEntry {
            pending.filled += fill.quantity
            let complete = pending.filled >= pending.approved.quantity
            symbols[index].pendingEntry = complete ? nil : pending
            if complete { pendingEntryID[index] = nil }
            if !hadPosition, !hasOwner[index], let position = portfolio.position(index) {
                createOwner(entry: pending, position: position, symbolIndex: index, time: fill.time)
                // The new owner places its backstop now, not at the next price event.
                onTimer(time: fill.time, symbolIndex: index, into: &actions)
                return
            }
        }
        route(.filled(fill), symbolIndex: index, into: &actions)
        switch outcome {
        case .closed(let trade):
            closeTrade(trade, symbolIndex: index, time: fill.time, into: &actions)
        case .flipped(let trade):
            closeTrade(trade, symbolIndex: index, time: fill.time, into: &actions)
            actions.append(.alert(Alert(severity: .critical, kind: "kernel.position_without_owner",
                                        message: "a fill flipped the position; the new position has no exit owner",
                                        symbol: fill.symbol, time: fill.time)))
        case .opened where !isEntry:
            actions.append(.alert(Alert(severity: .critical, kind: "kernel.position_without_owner",
                                        message: "fill \(fill.clientOrderID) opened a position the kernel did not ask for",
                                        symbol: fill.symbol, time: fill.time)))
        default:
            break
        }
    }

    @inlinable
    mutating func createOwner(entry: PendingEntry, position: Position, symbolIndex index: Int, time: Timestamp,
                              restoring: ExitStateSnapshot? = nil) {
        positionCounter += 1
        var context = ExitOwnerContext(
            entry: entry.approved, position: position, instruments: instruments, instrumentIndex: index,
            positionKey: PositionKey(symbol: instruments[index].symbol, entryOrderID: entry.orderID),
            orderIDs: orderIDs.derived(separator: UInt8(ascii: "p"), positionCounter), time: time)
        context.restoredState = restoring
        // Read from the new owner before it is stored: `symbols[index].owner!.…` would copy it.
        let owner = makeExitOwner(context)
        let levels = owner.watchedLevels
        ownerLevelsOnly[index] = owner.reactsOnlyToWatchedLevels
        symbols[index].owner = consume owner
        hasOwner[index] = true
        symbols[index].finishedReason = nil
        symbols[index].lastSliceReason = nil
        symbols[index].closeRequest = nil
        symbols[index].positionSign = position.side.sign
        symbols[index].ownerSince = time
        symbols[index].bestPrice = position.entryPrice
        symbols[index].targetsHitMask = 0
        let plan = entry.approved.plan
        symbols[index].planLevels = WatchedPriceLevels(stop: plan.stopPrice, target: plan.targets.first?.price)
        ownerLevels[index] = levels.isEmpty ? symbols[index].planLevels : levels
    }

    /// Routes a report of the position to its owner (every report, per the contract).
    @inlinable
    mutating func route(_ event: ExecutionEvent, symbolIndex index: Int, into actions: inout [KernelAction]) {
        guard hasOwner[index] else { return }
        callOwner(.execution(event), symbolIndex: index, into: &actions)
    }

    /// The position is flat: names the reason, tells the gate, drops the owner, records equity,
    /// and enters a pending reversal.
    @inlinable
    mutating func closeTrade(_ trade: ClosedTrade, symbolIndex index: Int, time: Timestamp, into actions: inout [KernelAction]) {
        var trade = trade
        if trade.exitReason != .liquidation {
            trade.exitReason = symbols[index].closeRequest ?? symbols[index].finishedReason ?? symbols[index].lastSliceReason ?? .external
        }
        trade.plannedStop = symbols[index].planLevels.stop
        if symbols[index].positionSign != 0 { trade.bestPrice = symbols[index].bestPrice }
        let mask = symbols[index].targetsHitMask
        trade.targetsHit = (1...3).filter { mask & (1 << $0) != 0 }
        symbols[index].positionSign = 0
        symbols[index].targetsHitMask = 0
        symbols[index].owner = nil
        hasOwner[index] = false
        ownerLevelsOnly[index] = false
        ownerLevels[index] = WatchedPriceLevels()
        symbols[index].closeRequest = nil
        symbols[index].planLevels = WatchedPriceLevels()
        let riskActions = gate.positionClosed(symbol: trade.symbol, reason: trade.exitReason, netPnL: trade.netPnL, time: time)
        portfolio.mark(index, at: symbols[index].lastPrice)
        equityCurve.record(time: time, equity: portfolio.equity, walletBalance: portfolio.walletBalance)
        actions.append(.tradeClosed(trade))
        for action in riskActions { actions.append(.risk(action)) }
        if hasPendingSignal[index] {
            actOnPendingSignal(symbolIndex: index, price: symbols[index].lastPrice, time: time, into: &actions)
        }
    }
}
