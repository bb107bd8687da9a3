import TradingEngine
import TradingModel

/// Manual closes requested by another process through the store (`qt close SYMBOL|--all`),
/// picked up on timer ticks. Each position is closed by its exit owner (reduce-only market, the
/// same path as `.closeRequest`); the request is resolved `done` when every named position is
/// flat, `failed` with the reason otherwise.
extension LiveRuntime {
    func serviceCloseRequests(at time: Timestamp) async {
        for id in closingRequests.keys.sorted() {
            guard let work = closingRequests[id] else { continue }
            let open = work.symbols.filter(isOpen)
            if open.isEmpty {
                finishCloseRequest(id, .done, "closed by the exit owner (reduce-only market): \(Self.names(work.symbols))")
            } else if time >= work.deadline {
                finishCloseRequest(id, .failed, "\(Self.names(open)) still open \(settings.closeRequestTimeout) after the request was picked up; "
                                   + "the exit owners keep retrying and the exchange backstops stay in place")
            }
        }
        let pending: [CloseRequestRecord]
        do {
            pending = try store.pendingCloseRequests()
        } catch {
            record { throw error }
            return
        }
        for request in pending {
            guard let id = request.id, closingRequests[id] == nil else { continue }
            let age = time.since(request.requestedAt)
            if age > settings.closeRequestMaxAge {
                finishCloseRequest(id, .failed, "expired: requested \(age) before this run saw it (limit \(settings.closeRequestMaxAge)); nothing closed")
                continue
            }
            let symbols: [Symbol]
            if let symbol = request.symbol {
                guard index(of: symbol) != nil else {
                    finishCloseRequest(id, .failed, "\(symbol) is not traded by this run (\(Self.names(kernel.instruments.map(\.symbol))))")
                    continue
                }
                guard isOpen(symbol) else {
                    finishCloseRequest(id, .failed, "no open \(symbol) position")
                    continue
                }
                symbols = [symbol]
            } else {
                symbols = kernel.instruments.map(\.symbol).filter(isOpen)
                if symbols.isEmpty {
                    finishCloseRequest(id, .done, "no open positions; nothing to close")
                    continue
                }
            }
            closingRequests[id] = (symbols, time.advanced(by: settings.closeRequestTimeout))
            for symbol in symbols { await requestClose(symbol) }
            // A venue that reports at once (simulated, test doubles) is flat already.
            if !symbols.contains(where: isOpen) {
                finishCloseRequest(id, .done, "closed by the exit owner (reduce-only market): \(Self.names(symbols))")
            }
        }
    }

    func isOpen(_ symbol: Symbol) -> Bool { index(of: symbol).map { kernel.portfolio.slots[$0] != nil } ?? false }

    /// Resolves a request in the store and tells a person. Another runtime on the same store
    /// may have resolved it first: that is a warning, not a store failure.
    func finishCloseRequest(_ id: Int64, _ state: CloseRequestRecord.State, _ detail: String) {
        closingRequests[id] = nil
        do {
            try store.resolveCloseRequest(id: id, state: state, detail: detail, runID: runID, time: now)
        } catch TradeStoreError.closeRequestNotPending {
            raise(Alert(severity: .warning, kind: "runtime.close_request_taken", message: "close request \(id) was resolved elsewhere", symbol: nil, time: now))
            return
        } catch {
            record { throw error }
            return
        }
        raise(Alert(severity: state == .done ? .info : .warning, kind: state == .done ? .closeRequestDone : .closeRequestFailed,
                    message: "close request \(id) \(state.rawValue): \(detail)", symbol: nil, time: now))
    }

    static func names(_ symbols: [Symbol]) -> String { symbols.map(\.name).joined(separator: ", ") }
}
