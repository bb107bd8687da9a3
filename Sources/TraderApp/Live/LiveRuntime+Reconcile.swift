import TradingEngine
import TradingModel

/// The runtime's reconciliation step: at start, after every reconnect, and whenever the booked
/// state and the venue's may differ (a lasting divergence, a position without owner, an order
/// the venue does not know), before entries resume.
extension LiveRuntime {
    /// Reads the venue's positions and open orders (regular and algo) and repairs, in order:
    /// 1. orders of unknown outcome found resting are resolved;
    /// 2. booked positions are brought to the venue's (`settlePositions`: missing executions
    ///    booked from the trade history);
    /// 3. `Reconciliation.plan`: symbols outside `--symbols` reported, positions without owner
    ///    adopted (saved exit state restored when it matches) or closed, orphans and duplicate
    ///    stops cancelled (an adopted position's old stops only once its new backstop rests);
    /// 4. the wallet is re-read and superseded exit states of dead runs are removed.
    /// Every step is recorded and alerted. Entries are blocked from the call until it succeeds;
    /// a failure leaves them blocked.
    public func reconcile() async throws(LiveRuntimeError) {
        reconciled = false
        let gapSequence = sync.userDataGaps
        try await applyReconcile(try await readVenue(), gapSequence: gapSequence)
    }

    /// The repairs of a reconciliation from the venue's state as read (inline, or by a lane).
    /// `gapSequence`: the count of user-data gaps when the reads were asked for; the hold of a
    /// gap detected later is not lifted by these reads (they may predate the lost events).
    func applyReconcile(_ read: VenueState, gapSequence: UInt64) async throws(LiveRuntimeError) {
        reconciling = true
        defer { reconciling = false }
        reconciled = false
        var venueState = read
        await resolveFromOpenOrders(venueState.openOrders)
        await settlePositions(venueState)
        // The settlement booked fills (owners may have finished and cancelled their backstops):
        // plan against the venue as read, minus the orders just cancelled.
        venueState.openOrders.removeAll { sync.cancelsSent.contains($0.request.clientOrderID) }
        var ownedStops: Set<ClientOrderID> = []
        for (id, order) in sentOrders where order.closePosition && order.type == .stopMarket { ownedStops.insert(id) }
        let owned = Set(kernel.instruments.indices.filter { kernel.hasOwner(at: $0) }.map { kernel.instruments[$0].symbol })
        let traded = Set(kernel.instruments.map(\.symbol))
        let instruments = kernel.instruments
        let planner = self.planner
        let crossMargin = sync.crossMargin
        let account = crossMargin.isEmpty ? nil : await crossMarginAccount(venueState)
        let steps = Reconciliation.plan(venue: venueState, local: LocalState(ownedSymbols: owned, ownedStopIDs: ownedStops, tradedSymbols: traded)) {
            Self.planAdoption($0, instruments: instruments, planner: planner, crossMargin: crossMargin.contains($0.symbol) ? account : nil)
        }
        let foreignNow = Set(steps.compactMap { if case .reportForeign(let symbol, _) = $0 { symbol } else { nil } })
        for symbol in Set(sync.foreign.keys).subtracting(foreignNow) { sync.foreign[symbol] = nil }
        for step in steps { await perform(step) }
        await pump()
        await performDeferredCancels()
        if settings.watchVenuePositions {
            // The watchdog's view of the venue starts from what was read (every traded symbol:
            // flat ones clear an old view); position reports keep it current.
            for instrument in kernel.instruments {
                let quantity = venueState.positions.first { $0.symbol == instrument.symbol }?.signedQuantity ?? .zero
                _ = supervisor.on(.venuePosition(symbol: instrument.symbol, signedQuantity: quantity, time: now))
            }
        }
        // The read replaces what the position reports said; divergence starts afresh from it.
        sync.divergentSince = [:]
        sync.venueReports = [:]
        sync.foreignReportsAlerted = []
        await resyncWallet()
        removeSupersededExitStates(venue: venueState)
        sync.lastReconciledAt = now
        let gapLifted = liftUserDataGap(readAfter: gapSequence)
        freshness.start(at: now)
        reconciled = true
        let repairs = steps.filter { if case .reportForeign = $0 { false } else { true } }.count
        raise(Alert(severity: .info, kind: "reconcile.done", message: "reconciled with the venue: \(repairs) repair(s); "
                    + (gapLifted ? "entries allowed" : "entries still held: a user-data message was lost after these reads began; reconciling again"),
                    symbol: nil, time: now))
        await deliverAlerts()
    }

    /// The venue's positions and open orders; a failure is alerted (entries stay blocked).
    func readVenue() async throws(LiveRuntimeError) -> VenueState {
        do throws(ExecutionError) {
            return VenueState(positions: try await client.positions(), openOrders: try await client.openOrders(symbol: nil))
        } catch {
            reconcileReadFailed(error)
            await deliverAlerts()
            throw LiveRuntimeError("reconciliation failed: \(error)")
        }
    }

    /// The venue could not be read for a reconciliation: alerted; entries stay blocked.
    func reconcileReadFailed(_ error: ExecutionError) {
        reconciled = false
        if error.kind == .configuration { halt("venue configuration error during reconciliation: \(error)") }
        raise(Alert(severity: .critical, kind: "reconcile.failed", message: "cannot read the venue's positions and orders: \(error); entries stay blocked",
                    symbol: nil, time: now))
    }

    /// Orders of unknown outcome that rest at the venue were placed: the owner learns it.
    func resolveFromOpenOrders(_ orders: [OrderSnapshot]) async {
        for order in orders {
            let id = order.request.clientOrderID
            guard let request = unresolved[id] else { continue }
            unresolved[id] = nil
            sync.notFoundSince[id] = nil
            recordOrder(request, venueStatus: order.status, detail: "resolved by reconciliation (resting at the venue)")
            inbox.append(.accepted(id, symbol: request.symbol, venueOrderID: order.venueOrderID, time: now))
        }
        await pump()
    }

    /// The account as a cross-margin position sees it: the venue's positions as read and the
    /// wallet re-read from the venue (the booked wallet when the venue does not say).
    func crossMarginAccount(_ venueState: VenueState) async -> CrossMarginAccount {
        var wallet = kernel.portfolio.walletBalance
        do throws(ExecutionError) {
            if let venueWallet = try await client.walletBalance() { wallet = venueWallet }
        } catch {
            // The booked wallet (synced at every reconciliation) stands in.
        }
        return CrossMarginAccount(walletBalance: wallet, positions: venueState.positions, crossSymbols: sync.crossMargin,
                                  tradedSymbols: Set(kernel.instruments.map(\.symbol)))
    }

    /// The exit plan of a venue position from its entry price and actual leverage, or why it
    /// cannot be protected. A position in cross margin (`crossMargin`: the account) is checked
    /// against its liquidation price from the account's actual margin — the nearer of the cross
    /// formula (wallet, other positions' maintenance margin and unrealised PnL) and the venue's
    /// own `liquidationPrice` — not against the isolated estimate at its leverage: the plan at its
    /// leverage if its backstop lies inside that price, else the plan at 1x (stop and targets are
    /// price moves) if that one's does, else it cannot be protected.
    static func planAdoption(_ position: PositionSnapshot, instruments: [Instrument], planner: (any ExitPlanning)?,
                             crossMargin account: CrossMarginAccount? = nil) -> Result<ExitPlan, ExitPlanRejection> {
        guard let instrument = instruments.first(where: { $0.symbol == position.symbol }) else {
            return .failure(ExitPlanRejection("\(position.symbol) is not traded by this run (no instrument)"))
        }
        guard let planner else { return .failure(ExitPlanRejection("no exit planner is configured to protect an adopted position")) }
        let side = Reconciliation.side(of: position)
        let quantity = position.signedQuantity.magnitude
        let plan = planner.plan(symbol: position.symbol, side: side, entryPrice: position.entryPrice, quantity: quantity,
                                leverage: max(position.leverage, 1), instrument: instrument)
        guard let account else { return plan }
        let computed = account.liquidationPrice(of: position, instrument: instrument)
        guard let computed else {
            return .failure(ExitPlanRejection("\(position.symbol) is in cross margin and its liquidation price cannot be computed from the account "
                                              + "(another cross position's maintenance margin is not reported)"))
        }
        // Zero: the account's margin covers the whole position; the venue's figure may still be nearer.
        let liquidation = CrossMarginAccount.nearer(computed, orVenueFigureOf: position)
        let atOne = planner.plan(symbol: position.symbol, side: side, entryPrice: position.entryPrice, quantity: quantity, leverage: 1,
                                 instrument: instrument)
        for case .success(var candidate) in [plan, atOne] {
            guard let liquidation else {
                candidate.liquidationPrice = .zero
                return .success(candidate)
            }
            if side == .long ? candidate.backstopPrice > liquidation : candidate.backstopPrice < liquidation {
                candidate.liquidationPrice = liquidation
                return .success(candidate)
            }
        }
        let margin = account.margin(for: position)
        return .failure(ExitPlanRejection("\(position.symbol) in cross margin: no backstop fits inside its liquidation price \(liquidation ?? .zero) "
                                          + "from the account's margin (cross wallet \(margin?.crossWalletBalance ?? .zero), other positions' "
                                          + "maintenance margin \(margin?.otherMaintenanceMargin ?? .zero), their unrealised PnL \(margin?.otherUnrealizedPnL ?? .zero))"))
    }

    func perform(_ step: ReconciliationStep) async {
        switch step {
        case .adopt(let snapshot, let plan):
            await adopt(snapshot, plan: plan)
        case .close(let snapshot, let reason):
            adoptions += 1
            let side = Reconciliation.side(of: snapshot)
            let order = OrderRequest(clientOrderID: ClientOrderID("qt-\(settings.runTag)-rc\(adoptions)-fl")!, symbol: snapshot.symbol,
                                     side: side.exitOrderSide, type: .market, quantity: snapshot.signedQuantity.magnitude, reduceOnly: true)
            raise(Alert(severity: .critical, kind: "reconcile.closed_unprotected",
                        message: "\(snapshot.symbol) \(side) \(snapshot.signedQuantity.magnitude) has no exit owner and \(reason); closing at market "
                            + "(its stops stay until it is flat)",
                        symbol: snapshot.symbol, time: now))
            recordRepair("closed", snapshot.symbol, reason)
            await submit(order)
            await pump()
        case .cancel(let order, let reason):
            await cancelAtVenue(order, reason: reason)
        case .cancelOnceProtected(let order, let reason):
            if !sync.deferredCancels.contains(where: { $0.request.clientOrderID == order.request.clientOrderID }) {
                sync.deferredCancels.append(order)
            }
            _ = reason
        case .reportForeign(let symbol, let detail):
            guard sync.foreign[symbol] != detail else { return }
            sync.foreign[symbol] = detail
            raise(Alert(severity: .warning, kind: "reconcile.foreign", message: "\(symbol): \(detail)", symbol: symbol, time: now))
            recordRepair("foreign_reported", symbol, detail)
        }
    }

    /// Takes over a venue position: the saved exit state of an earlier process is offered to the
    /// owner factory (restored when symbol, side and size match), the owner starts with its
    /// backstop, and the superseded saved states of that symbol are removed.
    func adopt(_ snapshot: PositionSnapshot, plan: ExitPlan) async {
        guard let index = index(of: snapshot.symbol) else { return }
        adoptions += 1
        let side = Reconciliation.side(of: snapshot)
        let quantity = snapshot.signedQuantity.magnitude
        let position = Position(symbol: snapshot.symbol, side: side, quantity: quantity, entryPrice: snapshot.entryPrice,
                                leverage: max(snapshot.leverage, 1), isolatedMargin: snapshot.isolatedMargin, openedAt: now)
        let signal = Signal(symbol: snapshot.symbol, side: side, confidence: nil, time: now, source: "reconciliation")
        let entry = ApprovedEntry(signal: signal, quantity: quantity, leverage: position.leverage, plan: plan)
        let id = ClientOrderID("qt-\(settings.runTag)-ad\(adoptions)")!
        let saved = savedExitStates(of: snapshot.symbol)
        let restoring = saved.first.map {
            ExitStateSnapshot(positionKey: $0.positionKey, symbol: $0.symbol, executor: $0.executor, stateJSON: $0.stateJSON,
                              lastPriceEventAt: $0.lastPriceEventAt)
        }
        kernel.adopt(entry, position: position, adoptionID: id, symbolIndex: index, time: now, restoring: restoring, into: &actions)
        if sync.crossMargin.contains(snapshot.symbol) { sync.crossLiquidation[snapshot.symbol] = plan.liquidationPrice }
        let status = kernel.symbols[index].owner.flatMap { statusOf($0) }
        let stop = status?.stopPrice ?? plan.stopPrice
        let origin = restoring == nil ? "planned" : (stop == plan.stopPrice ? "saved state of run \(saved[0].runID) offered, re-planned"
                                                                          : "saved exit state of run \(saved[0].runID) kept")
        raise(Alert(severity: .warning, kind: "reconcile.adopted",
                    message: "\(snapshot.symbol) \(side) \(quantity) at \(snapshot.entryPrice) (\(position.leverage)x) had no exit owner; adopted "
                        + "with stop \(stop) (\(origin)) and backstop first", symbol: snapshot.symbol, time: now))
        recordRepair("adopted", snapshot.symbol, "stop \(stop), backstop \(plan.backstopPrice), \(origin)")
        for superseded in saved {
            record { try store.deleteExitState(runID: superseded.runID, positionKey: superseded.positionKey) }
        }
        await pump()
    }

    /// Cancels an order at the venue, recorded and alerted.
    func cancelAtVenue(_ order: OrderSnapshot, reason: String) async {
        let id = order.request.clientOrderID
        raise(Alert(severity: .warning, kind: "reconcile.cancelled", message: "cancelling \(id) (\(order.request.symbol)): \(reason)",
                    symbol: order.request.symbol, time: now))
        recordRepair("cancelled", order.request.symbol, "\(id): \(reason)")
        sync.cancelsSent.insert(id)
        do throws(ExecutionError) {
            try await client.cancel(id, symbol: order.request.symbol)
        } catch {
            if case .rejected = error.kind { return }  // already gone
            raise(Alert(severity: .critical, kind: "reconcile.cancel_failed", message: "cancel of \(id) failed: \(error)",
                        symbol: order.request.symbol, time: now))
        }
    }

    /// Old stops of adopted positions go once the position is protected by its owner's resting
    /// backstop, or once the symbol is flat (then they are orphans); never before.
    func performDeferredCancels() async {
        guard !sync.deferredCancels.isEmpty else { return }
        let pending = sync.deferredCancels
        sync.deferredCancels = []
        for order in pending {
            guard let index = index(of: order.request.symbol) else { continue }
            let protected = kernel.symbols[index].owner.flatMap { statusOf($0) }?.restingBackstopPrice != nil
            let flat = kernel.portfolio.sideSign[index] == 0
            if protected || flat {
                await cancelAtVenue(order, reason: protected ? "stop of an adopted position, replaced by its exit owner's resting backstop"
                                                             : "stop of a position that is now flat")
            } else {
                sync.deferredCancels.append(order)
            }
        }
    }

    /// Saved exit states of `symbol` from other runs on this store, newest first.
    func savedExitStates(of symbol: Symbol) -> [ExitStateRecord] {
        guard let runs = try? store.runs() else { return [] }
        var states: [ExitStateRecord] = []
        for run in runs where run.id != runID {
            guard let id = run.id, let saved = try? store.exitStates(runID: id) else { continue }
            states += saved.filter { $0.symbol == symbol }
        }
        return states.sorted { $0.updatedAt > $1.updatedAt }
    }

    /// Saved exit states of other runs for traded symbols that are flat at the venue belong to
    /// positions that no longer exist: removed, so `qt status` shows only live states.
    func removeSupersededExitStates(venue: VenueState) {
        let open = Set(venue.positions.filter { !$0.signedQuantity.isZero }.map(\.symbol))
        for instrument in kernel.instruments where !open.contains(instrument.symbol) {
            for dead in savedExitStates(of: instrument.symbol) {
                record { try store.deleteExitState(runID: dead.runID, positionKey: dead.positionKey) }
            }
        }
    }

    func recordRepair(_ state: String, _ symbol: Symbol, _ detail: String) {
        record { try store.recordRiskEvent(RiskEventRecord(runID: runID, state: "reconcile_\(state)", cause: "reconciliation",
                                                           detail: "\(symbol): \(detail)", time: now)) }
    }
}
