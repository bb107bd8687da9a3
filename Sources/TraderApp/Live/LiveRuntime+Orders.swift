import TradingEngine
import TradingModel
import CoreMetrics

/// Orders to the venue: entries refused while blocked, venue errors handled by class
/// (`ExecutionErrorKind`), and an unknown outcome resolved by querying, never by resending.
extension LiveRuntime {
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
            recordOrder(order, status: .submitted, detail: "")
            return
        }
        recordOrder(order, status: .submitted, detail: "")
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
        recordOrder(order, venueStatus: snapshot.status, detail: snapshot.venueOrderID.map { "venue id \($0)" } ?? "")
        if order.type.isConditional && (snapshot.status == .new || snapshot.status == .partiallyFilled) {
            inbox.append(.accepted(order.clientOrderID, symbol: order.symbol, venueOrderID: snapshot.venueOrderID, time: now))
        }
    }

    func handleSubmitError(_ error: ExecutionError, order: OrderRequest) async {
        switch error.kind {
        case .rejected(let rejection):
            recordOrder(order, status: .rejected, detail: error.description)
            metrics.ordersRejected.increment()
            metrics.order(order, result: "rejected")
            metrics.rejection(rejection.reason)
            inbox.append(.rejected(order.clientOrderID, symbol: order.symbol, rejection, time: now))
        case .unknownStatus:
            recordOrder(order, status: .unknown, detail: error.description)
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
        recordOrder(order, status: .rejected, detail: message)
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
            recordOrder(order, venueStatus: snapshot.status, detail: "resolved by query")
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
                    recordOrder(order, status: .notFound, detail: "\(error); unknown since \(first), reconciled since: never placed")
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
}
