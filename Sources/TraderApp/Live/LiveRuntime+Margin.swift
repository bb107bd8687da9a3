import TradingEngine
import TradingModel

/// Symbols that already held a position in cross margin when the session started: the position
/// is adopted and protected in the margin mode it has (its plan checked against the venue's own
/// liquidation price), new entries in the symbol wait until it is flat, and only then is the
/// symbol switched to isolated margin.
extension LiveRuntime {
    /// The session could not switch these symbols to isolated margin (an existing cross-margin
    /// position or open orders): entries wait; each is alerted once.
    public func noteCrossMargin(_ symbols: Set<Symbol>) {
        for symbol in symbols.sorted() where index(of: symbol) != nil && sync.crossMargin.insert(symbol).inserted {
            raise(Alert(severity: .warning, kind: "runtime.cross_margin_position",
                        message: "\(symbol) holds a position (or orders) in cross margin: protected as it is (liquidation from the account's margin); "
                            + "new entries in \(symbol) wait until it is flat and switched to isolated margin", symbol: symbol, time: now))
        }
    }

    /// On timer ticks: a cross-margin symbol that is flat (booked and at the venue: no owner, no
    /// position) is switched to isolated margin; on success its entries are allowed again.
    func switchFlatSymbolsToIsolated() async {
        for symbol in sync.crossMargin.sorted() {
            guard let index = index(of: symbol), kernel.portfolio.sideSign[index] == 0, !kernel.hasOwner[index],
                  kernel.pendingEntry(symbolIndex: index) == nil else { continue }
            do throws(ExecutionError) {
                try await client.setIsolatedMargin(symbol: symbol)
                sync.crossMargin.remove(symbol)
                sync.crossLiquidation[symbol] = nil
                raise(Alert(severity: .info, kind: "runtime.isolated_margin_set",
                            message: "\(symbol) is flat and now in isolated margin; entries allowed", symbol: symbol, time: now))
            } catch {
                // Still a position or orders at the venue: tried again on the next tick.
                continue
            }
        }
    }
}
