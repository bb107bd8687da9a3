import TradingEngine
import TradingModel

/// The runtime's reconciliation step: at start and after every reconnect, before entries resume.
extension LiveRuntime {
    /// Reads the venue's positions and open orders (regular and algo), plans the repairs with
    /// `Reconciliation.plan` and performs them: adoptions first (each owner's backstop is sent
    /// before anything else), then closes, then cancels. Every step is recorded and alerted.
    /// Entries are blocked from the call until it succeeds; a failure leaves them blocked.
    public func reconcile(hedgeMode: Bool) async throws(LiveRuntimeError) {
        reconciled = false
        let venueState: VenueState
        do throws(ExecutionError) {
            venueState = VenueState(positions: try await client.positions(), openOrders: try await client.openOrders(symbol: nil), hedgeMode: hedgeMode)
        } catch {
            if error.kind == .configuration { halt("venue configuration error during reconciliation: \(error)") }
            raise(Alert(severity: .critical, kind: "reconcile.failed", message: "cannot read the venue's positions and orders: \(error); entries stay blocked",
                        symbol: nil, time: now))
            await deliverAlerts()
            throw LiveRuntimeError("reconciliation failed: \(error)")
        }
        var ownedStops: Set<ClientOrderID> = []
        for (id, order) in sentOrders where order.closePosition && order.type == .stopMarket { ownedStops.insert(id) }
        let owned = Set(kernel.instruments.indices.filter { kernel.hasOwner[$0] }.map { kernel.instruments[$0].symbol })
        let steps: [ReconciliationStep]
        do throws(ReconciliationRefusal) {
            let instruments = kernel.instruments
            let planner = self.planner
            steps = try Reconciliation.plan(venue: venueState, local: LocalState(ownedSymbols: owned, ownedStopIDs: ownedStops)) {
                Self.planAdoption($0, instruments: instruments, planner: planner)
            }
        } catch {
            halt(error.message)
            await deliverAlerts()
            throw LiveRuntimeError(error.message)
        }
        for step in steps { await perform(step) }
        await pump()
        if settings.watchVenuePositions {
            // The watchdog's view of the venue starts from what was read (every traded symbol:
            // flat ones clear an old view); position reports keep it current.
            for instrument in kernel.instruments {
                let quantity = venueState.positions.first { $0.symbol == instrument.symbol }?.signedQuantity ?? .zero
                _ = watchdog.on(.venuePosition(symbol: instrument.symbol, signedQuantity: quantity, time: now))
            }
        }
        reconciled = true
        raise(Alert(severity: .info, kind: "reconcile.done", message: "reconciled with the venue: \(steps.count) repair(s); entries allowed", symbol: nil, time: now))
        await deliverAlerts()
    }

    /// The exit plan of a venue position from its entry price and actual leverage, or why it
    /// cannot be protected.
    static func planAdoption(_ position: PositionSnapshot, instruments: [Instrument], planner: (any ExitPlanning)?) -> Result<ExitPlan, ExitPlanRejection> {
        guard let instrument = instruments.first(where: { $0.symbol == position.symbol }) else {
            return .failure(ExitPlanRejection("\(position.symbol) is not traded by this run (no instrument)"))
        }
        guard let planner else { return .failure(ExitPlanRejection("no exit planner is configured to protect an adopted position")) }
        return planner.plan(symbol: position.symbol, side: Reconciliation.side(of: position), entryPrice: position.entryPrice,
                            quantity: position.signedQuantity.magnitude, leverage: max(position.leverage, 1), instrument: instrument)
    }

    func perform(_ step: ReconciliationStep) async {
        switch step {
        case .adopt(let snapshot, let plan):
            guard let index = index(of: snapshot.symbol) else { return }
            adoptions += 1
            let side = Reconciliation.side(of: snapshot)
            let quantity = snapshot.signedQuantity.magnitude
            let position = Position(symbol: snapshot.symbol, side: side, quantity: quantity, entryPrice: snapshot.entryPrice,
                                    leverage: max(snapshot.leverage, 1), isolatedMargin: snapshot.isolatedMargin, openedAt: now)
            let signal = Signal(symbol: snapshot.symbol, side: side, confidence: nil, time: now, source: "reconciliation")
            let entry = ApprovedEntry(signal: signal, quantity: quantity, leverage: position.leverage, plan: plan)
            let id = ClientOrderID("qt-\(settings.runTag)-ad\(adoptions)")!
            kernel.adopt(entry, position: position, adoptionID: id, symbolIndex: index, time: now, into: &actions)
            raise(Alert(severity: .warning, kind: "reconcile.adopted",
                        message: "\(snapshot.symbol) \(side) \(quantity) at \(snapshot.entryPrice) (\(position.leverage)x) had no exit owner; adopted "
                            + "with stop \(plan.stopPrice) and backstop \(plan.backstopPrice)", symbol: snapshot.symbol, time: now))
            recordRepair("adopted", snapshot.symbol, "stop \(plan.stopPrice), backstop \(plan.backstopPrice)")
            await pump()
        case .close(let snapshot, let reason):
            adoptions += 1
            let side = Reconciliation.side(of: snapshot)
            let order = OrderRequest(clientOrderID: ClientOrderID("qt-\(settings.runTag)-rc\(adoptions)-fl")!, symbol: snapshot.symbol,
                                     side: side.exitOrderSide, type: .market, quantity: snapshot.signedQuantity.magnitude, reduceOnly: true)
            raise(Alert(severity: .critical, kind: "reconcile.closed_unprotected",
                        message: "\(snapshot.symbol) \(side) \(snapshot.signedQuantity.magnitude) has no exit owner and \(reason); closing at market",
                        symbol: snapshot.symbol, time: now))
            recordRepair("closed", snapshot.symbol, reason)
            await submit(order)
            await pump()
        case .cancel(let order, let reason):
            let id = order.request.clientOrderID
            raise(Alert(severity: .warning, kind: "reconcile.cancelled", message: "cancelling \(id) (\(order.request.symbol)): \(reason)",
                        symbol: order.request.symbol, time: now))
            recordRepair("cancelled", order.request.symbol, "\(id): \(reason)")
            do throws(ExecutionError) {
                try await client.cancel(id, symbol: order.request.symbol)
            } catch {
                raise(Alert(severity: .critical, kind: "reconcile.cancel_failed", message: "cancel of \(id) failed: \(error)",
                            symbol: order.request.symbol, time: now))
            }
        }
    }

    func recordRepair(_ state: String, _ symbol: Symbol, _ detail: String) {
        record { try store.recordRiskEvent(RiskEventRecord(runID: runID, state: "reconcile_\(state)", cause: "reconciliation",
                                                           detail: "\(symbol): \(detail)", time: now)) }
    }
}
