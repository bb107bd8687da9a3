import TradingEngine
import TradingModel

/// The end of a live session and the start of the next: what the venue had not answered when a
/// session stopped is recorded as unknown, and the next session queries it before trading.
extension LiveRuntime {
    /// Records the lanes' last outcomes at shutdown (answers that came within the shutdown grace,
    /// and calls abandoned without an answer). Nothing is sent and nothing is retried: an order
    /// whose outcome is unknown is recorded `UNKNOWN` (the next start queries it), an answered
    /// one with the venue's status, a failed one `REJECTED`; a pending reconciliation reply fails.
    public func settleAtShutdown(_ outcomes: [OrderOutcome]) async {
        for outcome in outcomes {
            switch outcome {
            case .submitted(let order, let snapshot):
                recordOrder(order, venueStatus: snapshot.status, detail: "answered during shutdown")
            case .submitFailed(let order, let error) where error.kind == .unknownStatus:
                recordOrder(order, status: .unknown, detail: "\(error); queried at the next start")
                raise(Alert(severity: .warning, kind: "runtime.order_status_unknown",
                            message: "\(order.clientOrderID): no answer before the session stopped; its outcome is queried at the next start",
                            symbol: order.symbol, time: now))
            case .submitFailed(let order, let error):
                recordOrder(order, status: .rejected, detail: "\(error) (during shutdown)")
            case .leverageFailed(let order, _, let error):
                recordOrder(order, status: .rejected, detail: "entry not sent: the leverage could not be set (\(error))")
            case .queried(let order, let snapshot) where unresolved[order.clientOrderID] != nil:
                unresolved[order.clientOrderID] = nil
                recordOrder(order, venueStatus: snapshot.status, detail: "resolved by query during shutdown")
            case .venueRead(_, _, let reply):
                reply?.resolve(false)
            case .queried, .queryFailed, .cancelled, .cancelFailed:
                break  // an unknown order stays `UNKNOWN`; a cancel's end shows at the next reconciliation
            }
        }
        await deliverAlerts()
    }

    /// At start, before the first reconciliation: orders of the previous live run on this store
    /// whose outcome was never learned (last recorded `SUBMITTED` or `UNKNOWN`: the session
    /// stopped, or the process died, before the venue answered) become unknown orders of this
    /// run. Each is queried by its client id (never resent); until it is resolved its symbol
    /// takes no entries. Orders of symbols this run does not trade are alerted and left alone.
    /// A store that cannot be read halts entries.
    public func carryUnresolvedOrders() async {
        let carried: [OrderEventRecord]
        let previous: Int64
        do {
            guard let last = try store.runs().filter({ $0.kind == .live && ($0.id ?? .max) < runID }).compactMap(\.id).max() else { return }
            previous = last
            carried = try store.latestOrderEvents(runID: last).filter { $0.status == OrderRecordStatus.submitted.rawValue || $0.status == OrderRecordStatus.unknown.rawValue }
        } catch {
            halt("cannot read the previous run's orders from the trade store: \(error)")
            return
        }
        for record in carried {
            let request = record.request
            guard index(of: request.symbol) != nil else {
                raise(Alert(severity: .warning, kind: "runtime.unknown_order_not_traded",
                            message: "\(request.clientOrderID) of run \(previous) (\(request.symbol), not traded by this run) has an unknown outcome; left alone",
                            symbol: request.symbol, time: now))
                continue
            }
            sentOrders[request.clientOrderID] = request
            unresolved[request.clientOrderID] = request
            recordOrder(request, status: .unknown, detail: "carried from run \(previous): its outcome was not known when that run ended; querying")
            raise(Alert(severity: .warning, kind: "runtime.order_status_unknown",
                        message: "\(request.clientOrderID) of run \(previous): outcome unknown when that run ended; querying by client id, not resending",
                        symbol: request.symbol, time: now))
        }
        await resolveUnknownOrders()
        await deliverAlerts()
    }
}
