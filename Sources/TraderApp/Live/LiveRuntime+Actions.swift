import TradingEngine
import TradingModel
import CoreMetrics

/// Performing the kernel's actions through the venue, the store and the alerting port, with
/// venue errors handled by class (`ExecutionErrorKind`).
extension LiveRuntime {
    /// Routes queued venue reports and performs actions until both are empty, in the backtest's
    /// order: reports first (they may produce actions), then every action (they may produce reports).
    func pump() async {
        while true {
            let events = inbox.drain()
            if events.isEmpty && actions.isEmpty {
                recordEquitySamples(final: false)
                return
            }
            for event in events { route(event) }
            let batch = actions
            actions.removeAll(keepingCapacity: true)
            for action in batch { await perform(action) }
        }
    }

    /// A venue report: recorded, then given to the kernel (a duplicate rejection is dropped: a
    /// client may both throw and report it; a fill whose venue trade id was booked already is
    /// dropped: a duplicated message, or a fill reconciliation booked from the trade history).
    /// The venue's position reports are not booked: they are compared with the booked position,
    /// and a difference that persists is reconciled (`noteVenueReport`). Reports of symbols this
    /// run does not trade are alerted once per reconciliation and left alone.
    func route(_ event: ExecutionEvent) {
        if case .rejected(let id, _, _, _) = event, !reportedRejections.insert(id).inserted { return }
        if case .filled(let fill) = event, let tradeID = fill.venueTradeID, !sync.bookedTradeIDs.insert(tradeID).inserted { return }
        guard let index = index(of: event.symbol) else {
            if sync.foreignReportsAlerted.insert(event.symbol).inserted {
                raise(Alert(severity: .warning, kind: "runtime.foreign_symbol_report",
                            message: "venue report for \(event.symbol), which this run does not trade: left untouched", symbol: event.symbol, time: now))
            }
            return
        }
        learnVenuePosition(event)
        noteAccountChange(event)
        if case .positionChanged(let symbol, let quantity, _) = event {
            noteVenueReport(symbol: symbol, signedQuantity: quantity)
            return
        }
        recordReport(event)
        let hadOwner = kernel.hasOwner(at: index)
        kernel.onExecution(event, symbolIndex: index, into: &actions)
        if !hadOwner && kernel.hasOwner(at: index) {
            // A new owner places its exchange backstop at the entry fill, not at the next price.
            kernel.onTimer(time: now, symbolIndex: index, into: &actions)
        }
        checkDivergence(symbolIndex: index)
        if kernel.holdsUnownedPosition(symbolIndex: index) && kernel.pendingEntry(symbolIndex: index) == nil {
            requestReconcile("\(event.symbol) holds a position no exit owner protects (a fill the bot did not ask for)")
        }
    }

    /// Tells the supervisor's watchdog the venue's position from a venue report
    /// (`watchVenuePositions`): the venue's own position reports (absolute quantities) and
    /// liquidations, not our fills (on Binance the position report of a fill may arrive before or
    /// after it; adding fills to it would count them twice).
    func learnVenuePosition(_ event: ExecutionEvent) {
        _ = supervisor.on(.venue(event))
    }

    func perform(_ action: KernelAction) async {
        switch action {
        case .setLeverage(let leverage, let symbol) where lanes != nil:
            pendingLeverage[symbol] = leverage  // set on the entry lane, just before the entry
        case .setLeverage(let leverage, let symbol):
            do throws(ExecutionError) {
                try await client.setLeverage(leverage, symbol: symbol)
                leverageFailed.remove(symbol)
            } catch {
                leverageFailed.insert(symbol)
                if error.kind == .configuration { halt("leverage \(leverage) for \(symbol) refused: \(error)") }
                raise(Alert(severity: .critical, kind: "runtime.leverage_failed", message: "setting \(symbol) leverage to \(leverage) failed: \(error); entry not sent",
                            symbol: symbol, time: now))
            }
        case .submit(let order):
            await submit(order)
        case .cancel(let id, let symbol):
            sync.cancelsSent.insert(id)
            if let lanes {
                lanes.send(.cancel(id, symbol: symbol))
                return
            }
            do throws(ExecutionError) {
                try await client.cancel(id, symbol: symbol)
            } catch {
                if case .rejected = error.kind { return }  // already gone (filled, cancelled)
                raise(Alert(severity: .warning, kind: "runtime.cancel_failed", message: "cancel of \(id) failed: \(error)", symbol: symbol, time: now))
            }
        case .alert(let alert):
            raise(alert)
        case .saveExitState(let snapshot):
            let saved = ExitStateRecord(snapshot: snapshot, runID: runID, updatedAt: now)
            savedExitStates[snapshot.positionKey] = saved
            record { try store.saveExitState(saved) }
            if let index = index(of: snapshot.symbol) {
                positionKeys[index] = snapshot.positionKey
                if let owner = kernel.symbols[index].owner, let status = statusOf(owner) {
                    await performWatchdog(supervisor.on(.ownerStatus(status)))
                }
            }
        case .decision(let decision, let report, let time):
            metrics.decision(decision)
            if report != nil { lastValidationReport = report }
            record { try store.recordDecision(DecisionRecord(decision: decision, runID: runID, time: time)) }
        case .risk(.record(var event)):
            event.runID = runID
            record { try store.recordRiskEvent(event) }
        case .risk(.alert(let alert)):
            raise(alert)
        case .risk(.flattenAll(let reason, let time)):
            // Every exit owner closes its position (reduce-only, through the owners).
            kernel.closeAll(reason: reason, time: time, into: &actions)
        case .tradeClosed(let trade):
            trades.append(trade)
            metrics.tradesClosed.increment()
            record { try store.recordTrade(TradeRecord(trade: trade, runID: runID)) }
            if let index = index(of: trade.symbol), let key = positionKeys[index] {
                positionKeys[index] = nil
                savedExitStates[key] = nil
                record { try store.deleteExitState(runID: runID, positionKey: key) }
                await performWatchdog(supervisor.on(.positionClosed(positionKey: key)))
            }
        }
    }
}
