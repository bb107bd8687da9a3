import TradingModel

/// Where one run's money went: the starting wallet, each closed trade's realised PnL, fees and
/// funding, the wallet they explain, the wallet the run recorded, and the difference — exact, in
/// fixed point, never rounded away. Also the slippage of stop exits against the planned stop.
public struct MoneyFlow: Sendable, Hashable {
    /// One closed trade's contribution.
    public struct Line: Sendable, Hashable {
        public var trade: TradeRecord
        /// Price PnL before fees and funding: `net + fees + funding`.
        public var grossPnL: Money
        /// The wallet after this trade (`startingWallet + Σ net so far`); nil without a starting wallet.
        public var walletAfter: Money?
        /// For a trade that ended at its stop (`stop_loss`, `backstop`) with a planned stop: the
        /// cost of filling beyond it, `sign × (plannedStop − exitPrice) × quantity` (> 0 worse).
        public var stopSlippage: Money?
        /// The entry fill against the signal's reference price (`EntrySlippage`); nil: unmeasured.
        public var entrySlippage: EntrySlippage.Measured?
    }

    public var startingWallet: Money?
    public var lines: [Line]
    public var grossPnL: Money
    public var fees: Money
    /// Funding paid (positive) or received (negative).
    public var funding: Money
    public var netPnL: Money
    /// Commissions of every fill of the run (closed trades and positions still open).
    public var feesOfFills: Money
    /// `feesOfFills − fees`: commissions of fills that belong to no closed trade (open positions).
    public var openPositionFees: Money
    /// `startingWallet + netPnL − openPositionFees`; nil without a starting wallet.
    public var explainedWallet: Money?
    /// The run's last recorded wallet balance; nil when none was recorded.
    public var recordedWallet: Money?
    /// `recordedWallet − explainedWallet`, exact; nil when either is unknown.
    public var unexplained: Money?
    public var stopSlippage: Money
    public var stopExitsWithPlan: Int
    /// Entries against their signals' prices, over the trades of `lines`.
    public var entrySlippage: EntrySlippage

    /// Builds the flow of one run's trades (any order; listed by exit time), fills and wallets;
    /// `decisions` give the signals' reference prices for the entry slippage.
    public static func of(trades: [TradeRecord], fills: [FillRecord], startingWallet: Money?, recordedWallet: Money?,
                          decisions: [DecisionRecord] = []) throws(TradeStatisticsError) -> MoneyFlow {
        let sorted = trades.sorted { ($0.exitTime, $0.entryTime) < ($1.exitTime, $1.entryTime) }
        let entrySlippage = try EntrySlippage.of(trades: sorted, decisions: decisions)
        var gross = Int128(0), fees = Int128(0), funding = Int128(0), net = Int128(0), slippage = Int128(0), stops = 0
        var lines: [Line] = []
        for (index, trade) in sorted.enumerated() {
            let tradeGross = Int128(trade.netPnL.raw) + Int128(trade.fees.raw) + Int128(trade.funding.raw)
            gross += tradeGross
            fees += Int128(trade.fees.raw)
            funding += Int128(trade.funding.raw)
            net += Int128(trade.netPnL.raw)
            var slip: Money?
            let stopped = trade.exitReason == ExitReason.stopLoss.rawValue || trade.exitReason == ExitReason.backstop.rawValue
            if stopped, let stop = trade.plannedStop {
                let cost = Int128(trade.side.sign) * (Int128(stop.raw) - Int128(trade.exitPrice.raw)) * Int128(trade.quantity.raw) / Int128(FixedPoint.scale)
                slippage += cost
                stops += 1
                slip = try TradeStatistics.money(cost, "a stop slippage")
            }
            let after = try startingWallet.map { wallet throws(TradeStatisticsError) in try TradeStatistics.money(Int128(wallet.raw) + net, "a wallet") }
            lines.append(Line(trade: trade, grossPnL: try TradeStatistics.money(tradeGross, "a trade's gross PnL"), walletAfter: after, stopSlippage: slip,
                              entrySlippage: entrySlippage.perTrade[index]))
        }
        let fillFees = fills.reduce(Int128(0)) { $0 + Int128($1.fill.fee.raw) }
        let open = fillFees - fees
        let explained = try startingWallet.map { wallet throws(TradeStatisticsError) in
            try TradeStatistics.money(Int128(wallet.raw) + net - open, "the explained wallet")
        }
        var unexplained: Money?
        if let explained, let recordedWallet { unexplained = try TradeStatistics.money(Int128(recordedWallet.raw) - Int128(explained.raw), "the difference") }
        return MoneyFlow(startingWallet: startingWallet, lines: lines, grossPnL: try TradeStatistics.money(gross, "the gross PnL"),
                         fees: try TradeStatistics.money(fees, "the fees"), funding: try TradeStatistics.money(funding, "the funding"),
                         netPnL: try TradeStatistics.money(net, "the net PnL"), feesOfFills: try TradeStatistics.money(fillFees, "the fill fees"),
                         openPositionFees: try TradeStatistics.money(open, "the open positions' fees"), explainedWallet: explained,
                         recordedWallet: recordedWallet, unexplained: unexplained,
                         stopSlippage: try TradeStatistics.money(slippage, "the stop slippage"), stopExitsWithPlan: stops, entrySlippage: entrySlippage)
    }
}
