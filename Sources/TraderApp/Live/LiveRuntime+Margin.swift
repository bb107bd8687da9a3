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
            guard let index = index(of: symbol), kernel.portfolio.sideSign[index] == 0, !kernel.hasOwner(at: index),
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

    /// A report that changes the account a cross-margin position's liquidation depends on (a
    /// fill, funding, a liquidation, the venue's position report) marks its price stale.
    func noteAccountChange(_ event: ExecutionEvent) {
        guard !sync.crossLiquidation.isEmpty else { return }
        switch event {
        case .filled, .fundingPaid, .liquidated, .positionChanged: sync.crossLiquidationStale = true
        default: break
        }
    }

    /// The venue reported a new wallet balance (with or without a position change): held
    /// cross-margin positions' liquidation prices are stale.
    func noteWalletChange() {
        guard !sync.crossLiquidation.isEmpty else { return }
        sync.crossLiquidationStale = true
    }

    /// On timer ticks after an account change: the liquidation price of every held cross-margin
    /// position is recomputed from the venue's positions and wallet as now read
    /// (`CrossMarginAccount`, the nearer of that and the venue's own figure), so the state view
    /// shows the current value. A failed read keeps the old price and tries again next tick.
    func refreshCrossLiquidations() async {
        guard sync.crossLiquidationStale, !sync.crossLiquidation.isEmpty else { return }
        let positions: [PositionSnapshot]
        do throws(ExecutionError) { positions = try await client.positions() } catch { return }
        sync.crossLiquidationStale = false
        let account = await crossMarginAccount(VenueState(positions: positions, openOrders: []))
        for symbol in sync.crossLiquidation.keys.sorted() {
            guard let index = index(of: symbol),
                  let position = positions.first(where: { $0.symbol == symbol && !$0.signedQuantity.isZero }),
                  let computed = account.liquidationPrice(of: position, instrument: kernel.instruments[index]) else { continue }
            sync.crossLiquidation[symbol] = CrossMarginAccount.nearer(computed, orVenueFigureOf: position) ?? .zero
        }
    }
}
