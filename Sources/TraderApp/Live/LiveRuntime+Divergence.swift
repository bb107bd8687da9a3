import TradingEngine
import TradingModel

/// Position reports are evidence, not bookings: the venue's `ACCOUNT_UPDATE` for a fill may come
/// before or after the fill's own report (or the fill's report may be lost). The runtime books
/// positions from fills only; a report that differs from the booked position starts a clock, and
/// a difference that outlives `divergenceGrace` (checked on timer ticks) is reconciled against
/// the venue's REST state (`LiveRuntime+Settlement`).
extension LiveRuntime {
    /// The booked signed position of symbol `index` (short < 0; zero when flat).
    func bookedQuantity(symbolIndex index: Int) -> Quantity {
        let sign = kernel.portfolio.sideSign[index]
        return sign == 0 ? .zero : Quantity(raw: kernel.portfolio.quantityRaw[index] * sign)
    }

    /// Records the venue's reported position of a traded symbol and compares it with the booked one.
    func noteVenueReport(symbol: Symbol, signedQuantity: Quantity) {
        sync.venueReports[symbol] = signedQuantity
        if let index = index(of: symbol) { checkDivergence(symbolIndex: index) }
    }

    /// Starts or clears the divergence clock of symbol `index` from its last position report.
    func checkDivergence(symbolIndex index: Int) {
        let symbol = kernel.instruments[index].symbol
        guard let reported = sync.venueReports[symbol] else { return }
        if reported == bookedQuantity(symbolIndex: index) {
            sync.divergentSince[symbol] = nil
        } else if sync.divergentSince[symbol] == nil {
            sync.divergentSince[symbol] = now
        }
    }

    /// On a timer tick: a difference older than `divergenceGrace` is reconciled.
    func reconcileLastingDivergence(at time: Timestamp) {
        for (symbol, since) in sync.divergentSince.sorted(by: { $0.key < $1.key }) where time.since(since) >= settings.divergenceGrace {
            let index = index(of: symbol)
            let booked = index.map { bookedQuantity(symbolIndex: $0) } ?? .zero
            raise(Alert(severity: .warning, kind: "runtime.position_diverged",
                        message: "\(symbol): the venue reports \(sync.venueReports[symbol] ?? .zero), the bot booked \(booked) for \(time.since(since)); "
                            + "reconciling with the venue (no entries meanwhile)", symbol: symbol, time: time))
            requestReconcile("\(symbol)'s position differs from the venue's report")
        }
    }

    /// Asks for a reconciliation at the end of the current input (once).
    func requestReconcile(_ reason: String) {
        if sync.reconcileRequested == nil { sync.reconcileRequested = reason }
    }

    /// Performs a requested reconciliation. A failure is alerted inside; the request stays and is
    /// retried at the earliest 5 s later (not on every market event while the venue is unreadable).
    func reconcileIfRequested() async {
        guard let reason = sync.reconcileRequested, !reconciling, !sync.reconcileInFlight else { return }
        if let failed = sync.reconcileFailedAt, now.since(failed) < .seconds(5) { return }
        sync.reconcileRequested = nil
        if let lanes {
            sync.reconcileInFlight = true
            lanes.send(.readVenue(gapSequence: sync.userDataGaps, reply: nil))
            return
        }
        do throws(LiveRuntimeError) {
            try await reconcile()
            sync.reconcileFailedAt = nil
        } catch {
            sync.reconcileFailedAt = now
            sync.reconcileRequested = sync.reconcileRequested ?? reason
        }
    }
}
