import TradingEngine
import TradingModel

/// Account news from the venue that is not an order report.
extension LiveRuntime {
    /// `MARGIN_CALL`: a critical alert (positions are near liquidation; their owners and backstops
    /// keep protecting them). A leverage changed by hand: the next entry sets its own leverage
    /// again, and an open position is reconciled (its stop is checked against the venue's
    /// liquidation price).
    func onVenueNotice(_ notice: VenueNotice) async {
        switch notice {
        case .marginCall(let detail, let time):
            let open = kernel.portfolio.openPositions.map { "\($0.symbol) \($0.side) \($0.quantity)" }.joined(separator: ", ")
            raise(Alert(severity: .critical, kind: "venue.margin_call",
                        message: "margin call from the venue (\(detail)); open positions: \(open.isEmpty ? "none" : open); "
                            + "their exit owners and exchange backstops stay in place", symbol: nil, time: time))
        case .leverageChanged(let symbol, let leverage, let time):
            guard let index = index(of: symbol) else { return }
            kernel.noteVenueLeverage(leverage, symbolIndex: index)
            let open = kernel.portfolio.sideSign[index] != 0
            raise(Alert(severity: .warning, kind: "venue.leverage_changed",
                        message: "\(symbol) leverage changed at the venue to \(leverage)x (outside the bot); the next entry sets its own again"
                            + (open ? "; reconciling the open position" : ""), symbol: symbol, time: time))
            if open { requestReconcile("\(symbol) leverage changed at the venue") }
        case .walletChanged:
            // The wallet a cross-margin position's liquidation depends on moved (also a
            // transfer or deposit no order report explains): recomputed on the next timer tick.
            noteWalletChange()
        }
    }
}
