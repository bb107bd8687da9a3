import TradingEngine
import TradingModel
import CoreMetrics

/// The live runtime's timer ticks (owner retries, backstop deadlines, watchdog, silence, store
/// requests), manual closes, the end of the market data and blocked entries.
extension LiveRuntime {
    func onTimer(_ time: Timestamp) async {
        checkSilence(at: time)
        for index in kernel.instruments.indices {
            kernel.onTimer(time: time, symbolIndex: index, into: &actions)
        }
        await pump()
        await resolveUnknownOrders()
        reconcileLastingDivergence(at: time)
        heartbeatExitStates()
        await syncManualRiskState()
        // Each owner's status as of this tick (it just processed it), then the watchdog's tick:
        // a silent owner shows even when no price arrives.
        for index in kernel.instruments.indices {
            if let owner = kernel.symbols[index].owner, let status = statusOf(owner) { _ = supervisor.on(.ownerStatus(status)) }
        }
        await performWatchdog(supervisor.on(.timer(time)))
        await serviceCloseRequests(at: time)
        await switchFlatSymbolsToIsolated()
        await refreshCrossLiquidations()
    }

    /// Asks the exit owner of `symbol` (nil: of every position) to close at market, reduce-only.
    func requestClose(_ symbol: Symbol?) async {
        for index in kernel.instruments.indices where symbol == nil || kernel.instruments[index].symbol == symbol {
            let instrument = kernel.instruments[index].symbol
            if kernel.requestClose(symbolIndex: index, time: now, into: &actions) {
                raise(Alert(severity: .info, kind: "runtime.manual_close", message: "manual close of \(instrument) requested", symbol: instrument, time: now))
            } else if symbol != nil {
                raise(Alert(severity: .info, kind: "runtime.manual_close", message: "no open \(instrument) position to close", symbol: instrument, time: now))
            }
        }
        await pump()
    }

    /// End of the market data: nothing is closed (positions keep their exchange backstops), and
    /// a person is told. (A candle file is replayed by the backtest engine, which closes what is
    /// open at its end.)
    func finish() async {
        let open = kernel.portfolio.openCount
        raise(Alert(severity: open > 0 ? .critical : .warning, kind: "runtime.market_data_ended",
                    message: "the market-data stream ended; \(open) open position(s) stay protected by their exchange backstops",
                    symbol: nil, time: now))
    }

    func blockEntry(_ signal: Signal, reason: String) {
        metrics.entriesBlocked.increment()
        blockedSignals.append((signal, reason))
        record { try store.recordDecision(DecisionRecord(decision: .rejected(signal: signal, reasons: [.entryBlocked(reason)]), runID: runID,
                                                         time: now)) }
        raise(Alert(severity: .warning, kind: "runtime.entry_blocked", message: "\(signal.symbol) \(signal.side) signal not acted on: \(reason)",
                    symbol: signal.symbol, time: now))
    }

    /// Re-saves each position's exit state when its executor processed price events since the
    /// last save (the executor saves only on changes), so `qt status` and the store show when
    /// the last price event was processed. Runs at each closed bar and timer tick: at most one
    /// write per position per bar or tick, none while nothing moved.
    func heartbeatExitStates() {
        for index in kernel.instruments.indices {
            guard let owner = kernel.symbols[index].owner, let status = statusOf(owner),
                  var saved = savedExitStates[status.positionKey], saved.lastPriceEventAt != status.lastPriceEventAt else { continue }
            saved.lastPriceEventAt = status.lastPriceEventAt
            saved.updatedAt = now
            savedExitStates[status.positionKey] = saved
            record { try store.saveExitState(saved) }
        }
    }
}
