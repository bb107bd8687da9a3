import TradingEngine
import TradingModel

extension LiveRuntime {
    /// The venue's listing, read again: changed filters go into the kernel (new entries are
    /// sized and rounded on them; the adapter moves protective orders onto the new grid), and a
    /// symbol that left `TRADING` gets no new entry until it trades again. Open positions keep
    /// their exit owner, backstop and watchdog: nothing is closed or cancelled here.
    func instrumentsRefreshed(_ statuses: [InstrumentStatus]) {
        for status in statuses {
            guard let index = index(of: status.symbol) else { continue }
            if let instrument = status.instrument, instrument != kernel.instruments[index] {
                let old = kernel.instruments[index]
                kernel.replaceInstrument(instrument, at: index)
                raise(Alert(severity: .info, kind: "runtime.instrument_updated",
                            message: "\(status.symbol) filters changed at the venue: tick \(old.tickSize) → \(instrument.tickSize), "
                                + "step \(old.stepSize) → \(instrument.stepSize), min notional \(old.minNotional) → \(instrument.minNotional)",
                            symbol: status.symbol, time: now))
            }
            guard notTradable[status.symbol] != status.entryRefusal else { continue }
            notTradable[status.symbol] = status.entryRefusal
            if let refusal = status.entryRefusal {
                raise(Alert(severity: .warning, kind: "runtime.symbol_not_trading",
                            message: "\(refusal): no new entries; an open position stays protected (exit owner, backstop, watchdog)",
                            symbol: status.symbol, time: now))
            } else {
                raise(Alert(severity: .info, kind: "runtime.symbol_trading", message: "\(status.symbol) trades again at the venue; entries allowed",
                            symbol: status.symbol, time: now))
            }
        }
    }
}
