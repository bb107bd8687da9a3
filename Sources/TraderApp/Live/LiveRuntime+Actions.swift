import TradingEngine
import TradingModel

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
        if case .positionChanged(let symbol, let quantity, _) = event {
            noteVenueReport(symbol: symbol, signedQuantity: quantity)
            return
        }
        recordReport(event)
        let hadOwner = kernel.hasOwner[index]
        kernel.onExecution(event, symbolIndex: index, into: &actions)
        if !hadOwner && kernel.hasOwner[index] {
            // A new owner places its exchange backstop at the entry fill, not at the next price.
            kernel.onTimer(time: now, symbolIndex: index, into: &actions)
        }
        checkDivergence(symbolIndex: index)
        if kernel.holdsUnownedPosition(symbolIndex: index) && kernel.pendingEntry(symbolIndex: index) == nil {
            requestReconcile("\(event.symbol) holds a position no exit owner protects (a fill the bot did not ask for)")
        }
    }

    /// Tells the watchdog the venue's position from a venue report (`watchVenuePositions`): the
    /// venue's own position reports (absolute quantities) and liquidations, not our fills (on
    /// Binance the position report of a fill may arrive before or after it; adding fills to it
    /// would count them twice).
    func learnVenuePosition(_ event: ExecutionEvent) {
        guard settings.watchVenuePositions else { return }
        switch event {
        case .positionChanged(let symbol, let quantity, let time):
            _ = watchdog.on(.venuePosition(symbol: symbol, signedQuantity: quantity, time: time))
        case .liquidated(let symbol, _, _, let time):
            _ = watchdog.on(.venuePosition(symbol: symbol, signedQuantity: .zero, time: time))
        default:
            break
        }
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
            let saved = ExitStateRecord(runID: runID, positionKey: snapshot.positionKey, symbol: snapshot.symbol, executor: snapshot.executor,
                                        stateJSON: snapshot.stateJSON, lastPriceEventAt: snapshot.lastPriceEventAt, updatedAt: now)
            savedExitStates[snapshot.positionKey] = saved
            record { try store.saveExitState(saved) }
            if let index = index(of: snapshot.symbol) {
                positionKeys[index] = snapshot.positionKey
                if let owner = kernel.symbols[index].owner, let status = statusOf(owner) {
                    await performWatchdog(watchdog.on(.status(status)))
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
                await performWatchdog(watchdog.on(.positionClosed(positionKey: key)))
            }
        }
    }

    /// Sends an order. Entries are refused while blocked; errors are handled by class.
    func submit(_ order: OrderRequest) async {
        let isEntry = !order.reduceOnly && !order.closePosition
        if isEntry {
            let blocked = leverageFailed.contains(order.symbol) ? "the leverage could not be set"
                : index(of: order.symbol).flatMap { entryBlockReason(symbolIndex: $0) }
            if let blocked {
                refuse(order, code: nil, message: "entry not sent: \(blocked)")
                return
            }
        }
        (isEntry ? metrics.entriesSubmitted : metrics.exitsSubmitted).increment()
        sentOrders[order.clientOrderID] = order
        if let lanes {
            // Handed to the lane first: the record below is written while the request is on its
            // way (it never waits for the store's sync; see docs/LIVE.md, "Latency").
            lanes.send(.submit(order, leverage: isEntry ? pendingLeverage.removeValue(forKey: order.symbol) : nil))
            metrics.orderSent(since: priceEventStartedAt)
            recordOrder(order, status: "SUBMITTED", detail: "")
            return
        }
        recordOrder(order, status: "SUBMITTED", detail: "")
        metrics.orderSent(since: priceEventStartedAt)
        do throws(ExecutionError) {
            let snapshot = try await client.submit(order)
            metrics.order(order, result: "accepted")
            accepted(order, snapshot: snapshot)
        } catch {
            await handleSubmitError(error, order: order)
        }
    }

    /// The venue's answer to an order: recorded; a conditional order (the backstop) the answer
    /// says rests (`NEW`) is accepted now, not only when the stream reports it (a delayed or lost
    /// `ALGO_UPDATE` must not leave the owner believing the position unprotected).
    func accepted(_ order: OrderRequest, snapshot: OrderSnapshot) {
        recordOrder(order, status: snapshot.status.rawValue, detail: snapshot.venueOrderID.map { "venue id \($0)" } ?? "")
        if order.type.isConditional && (snapshot.status == .new || snapshot.status == .partiallyFilled) {
            inbox.append(.accepted(order.clientOrderID, symbol: order.symbol, venueOrderID: snapshot.venueOrderID, time: now))
        }
    }

    func handleSubmitError(_ error: ExecutionError, order: OrderRequest) async {
        switch error.kind {
        case .rejected(let rejection):
            recordOrder(order, status: "REJECTED", detail: error.description)
            metrics.ordersRejected.increment()
            metrics.order(order, result: "rejected")
            metrics.rejection(rejection.reason)
            inbox.append(.rejected(order.clientOrderID, symbol: order.symbol, rejection, time: now))
        case .unknownStatus:
            recordOrder(order, status: "UNKNOWN", detail: error.description)
            metrics.ordersUnknown.increment()
            metrics.order(order, result: "unknown")
            unresolved[order.clientOrderID] = order
            raise(Alert(severity: .warning, kind: "runtime.order_status_unknown",
                        message: "\(order.clientOrderID): outcome unknown (\(error)); querying by client id, not resending",
                        symbol: order.symbol, time: now))
            await resolve(order)
        case .transient, .rateLimited:
            refuse(order, code: error.code, message: "not executed: \(error)")
        case .configuration:
            refuse(order, code: error.code, message: "configuration error: \(error)")
            halt("venue configuration error: \(error)")
        }
    }

    /// Reports `order` as rejected to the kernel (its owner retries, or the entry is dropped).
    func refuse(_ order: OrderRequest, code: Int?, message: String) {
        metrics.ordersRejected.increment()
        metrics.rejection(nil)
        recordOrder(order, status: "REJECTED", detail: message)
        inbox.append(.rejected(order.clientOrderID, symbol: order.symbol, OrderRejection(.other, code: code, message: message), time: now))
        if !order.reduceOnly && !order.closePosition { return }
        raise(Alert(severity: .warning, kind: "runtime.exit_order_not_sent", message: "\(order.clientOrderID): \(message)", symbol: order.symbol, time: now))
    }

    /// Queries an order of unknown outcome by its client id. Found: the venue's reports follow on
    /// the stream. Still unknown (rate-limited, a configuration error, a transient failure): asked
    /// again on the next timer tick. The venue does not know it: "never placed" is concluded only
    /// when it is still unknown `unknownOrderWindow` after the first such answer *and* a
    /// reconciliation ran since (a late order shows up in its open orders or its position); until
    /// then it stays unknown and the symbol's entries stay blocked. Never resent.
    func resolve(_ order: OrderRequest) async {
        let id = order.clientOrderID
        if let lanes {
            if queriesInFlight.insert(id).inserted { lanes.send(.query(order)) }
            return
        }
        do throws(ExecutionError) {
            applyResolution(order, .success(try await client.order(id, symbol: order.symbol)))
        } catch {
            applyResolution(order, .failure(error))
        }
    }

    /// What an order-status answer means for an order of unknown outcome (see `resolve`).
    func applyResolution(_ order: OrderRequest, _ answer: Result<OrderSnapshot, ExecutionError>) {
        let id = order.clientOrderID
        guard unresolved[id] != nil else { return }
        switch answer {
        case .success(let snapshot):
            unresolved[id] = nil
            sync.notFoundSince[id] = nil
            recordOrder(order, status: snapshot.status.rawValue, detail: "resolved by query")
            if order.type.isConditional && (snapshot.status == .new || snapshot.status == .partiallyFilled) {
                inbox.append(.accepted(id, symbol: order.symbol, venueOrderID: snapshot.venueOrderID, time: now))
            }
            if snapshot.status == .rejected || snapshot.status == .expired || (snapshot.status == .canceled && snapshot.filledQuantity.isZero) {
                inbox.append(.rejected(id, symbol: order.symbol,
                                       OrderRejection(.other, code: nil, message: "venue reports \(snapshot.status.rawValue)"), time: now))
            }
        case .failure(let error):
            switch error.kind {
            case .rejected:
                let first = sync.notFoundSince[id] ?? now
                sync.notFoundSince[id] = first
                let windowPassed = now.since(first) >= settings.unknownOrderWindow
                if windowPassed, let reconciledAt = sync.lastReconciledAt, reconciledAt >= first.advanced(by: settings.unknownOrderWindow) {
                    unresolved[id] = nil
                    sync.notFoundSince[id] = nil
                    recordOrder(order, status: "NOT_FOUND", detail: "\(error); unknown since \(first), reconciled since: never placed")
                    inbox.append(.rejected(id, symbol: order.symbol,
                                           OrderRejection(.other, code: error.code, message: "venue has no such order: \(error)"), time: now))
                } else if windowPassed {
                    requestReconcile("\(id) is unknown to the venue \(now.since(first)) after it was sent")
                }
            case .configuration:
                halt("venue configuration error: \(error)")
            case .transient, .rateLimited, .unknownStatus:
                break  // still unknown: asked again on the next timer tick
            }
        }
    }

    func resolveUnknownOrders() async {
        for id in unresolved.keys.sorted() {
            if let order = unresolved[id] { await resolve(order) }
        }
        await pump()
    }

    /// Performs the watchdog's actions. A venue position it reports without an exit owner
    /// (`positionWithoutOwner`) is first checked against the venue: a reconciliation reads the
    /// positions and adopts it (exit owner, backstop first) or closes it, and refreshes the
    /// watchdog's view (a stale report of a position that is already flat ends there). Only if the
    /// venue cannot be read are the watchdog's force-close, alert and incident performed (fail
    /// closed; entries stay blocked until a reconciliation succeeds).
    func performWatchdog(_ watchdogActions: [Watchdog.Action]) async {
        var watchdogActions = watchdogActions
        let orphans = watchdogActions.compactMap { action -> Incident? in
            if case .incident(let incident) = action, incident.kind == .positionWithoutOwner { incident } else { nil }
        }
        if !orphans.isEmpty {
            for incident in orphans {
                raise(Alert(severity: .warning, kind: "watchdog.venue_position_check",
                            message: "\(incident.symbol): \(incident.detail); reconciling with the venue (adopt or close)",
                            symbol: incident.symbol, time: now))
            }
            do throws(LiveRuntimeError) {
                if lanes != nil {
                    // The reads go off the loop; the force-close waits for them unless the venue
                    // could not be read lately (then it goes out now: fail closed).
                    if let failed = sync.reconcileFailedAt, now.since(failed) < settings.watchdog.forceCloseRetryInterval * 6 {
                        throw LiveRuntimeError("the venue could not be read lately")
                    }
                    requestReconcile("the watchdog saw a venue position without an owner")
                } else {
                    try await reconcile(hedgeMode: false)
                }
                let ids = Set(orphans.map(\.forceCloseOrderID))
                watchdogActions.removeAll { action in
                    switch action {
                    case .forceClose(let order): ids.contains(order.clientOrderID)
                    case .incident(let incident): incident.kind == .positionWithoutOwner
                    case .alert(let alert): alert.kind == "watchdog.\(Incident.Kind.positionWithoutOwner.rawValue)"
                    }
                }
            } catch {
                // The venue could not be read: the watchdog's force-close goes out as it decided.
            }
        }
        for action in watchdogActions {
            switch action {
            case .alert(let alert):
                raise(alert)
            case .forceClose(let order):
                await submit(order)
            case .incident(let incident):
                record { try store.recordRiskEvent(RiskEventRecord(runID: runID, state: "incident", cause: incident.kind.rawValue,
                                                                   detail: incident.detail, time: incident.detectedAt)) }
            }
        }
        await pump()
    }

    /// Stops all entries for the rest of the run (positions stay protected) and tells a person.
    func halt(_ reason: String) {
        guard haltReason == nil else { return }
        haltReason = reason
        raise(Alert(severity: .critical, kind: "runtime.halted", message: "trading halted, no new entries: \(reason)", symbol: nil, time: now))
        record { try store.recordRiskEvent(RiskEventRecord(runID: runID, state: "halted", cause: "runtime", detail: reason, time: now)) }
    }

    /// Records and delivers an alert. Delivery is the port's concern; it never stops the loop.
    func raise(_ alert: Alert) {
        metrics.alert(alert)
        alerts.append(alert)
        undelivered.append(alert)
        record { try store.recordAlert(AlertRecord(runID: runID, alert: alert)) }
    }

    /// Hands queued alerts to the `Alerting` port (at the end of every input, in order).
    func deliverAlerts() async {
        while !undelivered.isEmpty {
            let batch = undelivered
            undelivered.removeAll()
            for alert in batch { await alerting.send(alert) }
        }
    }

    /// A store write; a failure halts entries (what is not recorded must not be traded on).
    func record(_ write: () throws -> Void) {
        do { try write() } catch {
            if haltReason == nil {
                haltReason = "the trade store failed: \(error)"
                let alert = Alert(severity: .critical, kind: "runtime.store_failed", message: "trade store write failed (\(error)); no new entries",
                                  symbol: nil, time: now)
                metrics.alert(alert)
                alerts.append(alert)
                undelivered.append(alert)
            }
        }
    }

    func recordOrder(_ order: OrderRequest, status: String, detail: String) {
        record { try store.recordOrder(OrderEventRecord(runID: runID, request: order, status: status, detail: detail, time: now)) }
    }

    func recordReport(_ event: ExecutionEvent) {
        switch event {
        case .filled(let fill):
            metrics.fills.increment()
            record { try store.recordFill(FillRecord(runID: runID, fill: fill)) }
        case .accepted(let id, _, _, _), .canceled(let id, _, _), .triggered(let id, _, _):
            if let order = sentOrders[id] {
                let status = switch event { case .accepted: "ACCEPTED"; case .canceled: "CANCELED"; default: "TRIGGERED" }
                recordOrder(order, status: status, detail: "")
            }
        default:
            break
        }
    }
}
