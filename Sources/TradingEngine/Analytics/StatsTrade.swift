import TradingModel

/// One closed trade as the statistics see it: the stored trade, the run it belongs to, and the
/// exit details a trade may carry (unknown for trades recorded before they were kept).
public struct StatsTrade: Sendable, Hashable {
    public var record: TradeRecord
    public var runKind: RunKind
    /// The run's strategy name (`ema-cross`, `ml-ensemble`), from its detail.
    public var strategy: String
    /// Take-profit levels (1…3) whose slice filled during the trade; nil when not known.
    public var targetsHit: [Int]?
    /// The stop planned at entry (the risk the trade was sized for); nil when not known.
    public var plannedStop: Price?
    /// The most favourable price seen while the position was open; nil when not known.
    public var bestPrice: Price?

    public init(record: TradeRecord, runKind: RunKind, strategy: String, targetsHit: [Int]? = nil,
                plannedStop: Price? = nil, bestPrice: Price? = nil) {
        self.record = record
        self.runKind = runKind
        self.strategy = strategy
        self.targetsHit = targetsHit
        self.plannedStop = plannedStop
        self.bestPrice = bestPrice
    }

    /// Price PnL before fees and funding: `net + fees + funding`, in raw units (wide, never traps).
    var grossRaw: Int128 { Int128(record.netPnL.raw) + Int128(record.fees.raw) + Int128(record.funding.raw) }

    /// The planned risk in USDT, `|entry − plannedStop| × quantity`; nil when unknown or zero.
    public var plannedRisk: Double? {
        guard let stop = plannedStop else { return nil }
        let distance = (Double(record.entryPrice.raw) - Double(stop.raw)).magnitude / Double(FixedPoint.scale)
        let risk = distance * record.quantity.doubleValue
        return risk > 0 && risk.isFinite ? risk : nil
    }

    /// Net PnL in multiples of the planned risk (R); nil without a planned stop.
    public var rMultiple: Double? { plannedRisk.map { record.netPnL.doubleValue / $0 } }

    /// PnL of closing everything at the best price seen, `sign × (best − entry) × quantity`,
    /// never below zero (a trade that never moved in its favour had no better exit than flat).
    public var bestExitPnL: Double? {
        guard let best = bestPrice else { return nil }
        let move = Double(record.side.sign) * (Double(best.raw) - Double(record.entryPrice.raw)) / Double(FixedPoint.scale)
        let pnl = move * record.quantity.doubleValue
        return pnl.isFinite ? max(0, pnl) : nil
    }

    /// The trade hit its initial stop (local stop loss or the exchange backstop).
    public var stoppedOut: Bool {
        record.exitReason == ExitReason.stopLoss.rawValue || record.exitReason == ExitReason.backstop.rawValue
    }
}

extension RunRecord {
    /// The strategy named at the start of the run's detail (`ema-cross`, `ml-ensemble`).
    public var strategyName: String {
        String(detail.prefix { !" /:(".contains($0) })
    }
}
