import TradingModel

/// What each entry cost against the price its signal was judged at: the approved decision's
/// reference price (the latest price when the gate approved it) against the trade's entry fill.
///
/// `cost = sign × (entryPrice − referencePrice) × quantity` in USDT (> 0: filled worse than the
/// signal's price — a long paid more, a short sold lower), and `costBps = sign × (entry −
/// reference) / reference × 10 000`. A trade belongs to the latest approved decision of its run,
/// symbol and side at or before its entry; a trade with none, or whose decision has no reference
/// price (recorded before schema v6), is counted as unmeasured, never as zero.
public struct EntrySlippage: Sendable, Hashable {
    public struct Measured: Sendable, Hashable {
        public var referencePrice: Price
        /// USDT, exact (10⁻⁸, truncated toward zero).
        public var cost: Money
        public var costBps: Double
    }

    /// Per trade in the order given; nil where unmeasured.
    public var perTrade: [Measured?]
    /// Σ cost of the measured trades.
    public var total: Money
    public var measured: Int
    public var unmeasured: Int
    /// Mean `costBps` of the measured trades; nil when none.
    public var meanBps: Double?

    public static func of(trades: [TradeRecord], decisions: [DecisionRecord]) throws(TradeStatisticsError) -> EntrySlippage {
        struct Key: Hashable { var run: Int64; var symbol: Symbol; var side: Side }
        var approved: [Key: [DecisionRecord]] = [:]
        for decision in decisions where decision.approved {
            approved[Key(run: decision.runID, symbol: decision.signal.symbol, side: decision.signal.side), default: []].append(decision)
        }
        for key in approved.keys { approved[key]!.sort { $0.time < $1.time } }
        var perTrade: [Measured?] = []
        var total = Int128(0), bpsSum = 0.0, measured = 0
        for trade in trades {
            let candidates = approved[Key(run: trade.runID, symbol: trade.symbol, side: trade.side)] ?? []
            guard let decision = candidates.last(where: { $0.time <= trade.entryTime }), let reference = decision.referencePrice,
                  reference.isPositive else {
                perTrade.append(nil)
                continue
            }
            let sign = Int128(trade.side.sign)
            let move = sign * (Int128(trade.entryPrice.raw) - Int128(reference.raw))
            let cost = move * Int128(trade.quantity.raw) / Int128(FixedPoint.scale)
            let bps = Double(move) / Double(reference.raw) * 10_000
            total += cost
            bpsSum += bps
            measured += 1
            perTrade.append(Measured(referencePrice: reference, cost: try TradeStatistics.money(cost, "an entry slippage"), costBps: bps))
        }
        return EntrySlippage(perTrade: perTrade, total: try TradeStatistics.money(total, "the entry slippage"), measured: measured,
                             unmeasured: trades.count - measured, meanBps: measured > 0 ? bpsSum / Double(measured) : nil)
    }
}
