import TradingEngine
import TradingModel

/// Venue calls off the loop (`OrderLanes`): what the runtime does when their results come back.
extension LiveRuntime {
    /// From now on venue calls go through `lanes` (a live session attaches them before its loop).
    public func attach(lanes: OrderLanes) { self.lanes = lanes }

    /// True while a venue call of this runtime is queued or running on a lane.
    public var lanesBusy: Bool { lanes?.isBusy ?? false }

    func onOutcome(_ outcome: OrderOutcome) async {
        switch outcome {
        case .submitted(let order, let snapshot):
            metrics.order(order, result: "accepted")
            accepted(order, snapshot: snapshot)
        case .submitFailed(let order, let error):
            await handleSubmitError(error, order: order)
        case .leverageFailed(let order, let leverage, let error):
            leverageFailed.insert(order.symbol)
            if error.kind == .configuration { halt("leverage \(leverage) for \(order.symbol) refused: \(error)") }
            raise(Alert(severity: .critical, kind: "runtime.leverage_failed",
                        message: "setting \(order.symbol) leverage to \(leverage) failed: \(error); entry not sent", symbol: order.symbol, time: now))
            refuse(order, code: error.code, message: "entry not sent: the leverage could not be set")
        case .cancelled:
            break  // the order's end arrives on the stream (or a reconciliation finds it gone)
        case .cancelFailed(let id, let symbol, let error):
            if case .rejected = error.kind { break }  // already gone (filled, cancelled)
            raise(Alert(severity: .warning, kind: "runtime.cancel_failed", message: "cancel of \(id) failed: \(error)", symbol: symbol, time: now))
        case .queried(let order, let snapshot):
            queriesInFlight.remove(order.clientOrderID)
            applyResolution(order, .success(snapshot))
        case .queryFailed(let order, let error):
            queriesInFlight.remove(order.clientOrderID)
            applyResolution(order, .failure(error))
        case .venueRead(let result, let gapSequence, let reply):
            sync.reconcileInFlight = false
            switch result {
            case .success(let venueState):
                do throws(LiveRuntimeError) {
                    try await applyReconcile(venueState, gapSequence: gapSequence)
                    sync.reconcileFailedAt = nil
                    reply?.resolve(true)
                } catch {
                    sync.reconcileFailedAt = now
                    reply?.resolve(false)
                }
            case .failure(let error):
                reconcileReadFailed(error)
                sync.reconcileFailedAt = now
                reply?.resolve(false)
            }
        }
        await pump()
    }
}
