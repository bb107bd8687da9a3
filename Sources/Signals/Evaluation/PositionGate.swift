import TradingModel

/// One trade a position gate let through: what a real account could have held.
public struct SelectedTrade: Sendable, Hashable, Codable {
    /// Index into the samples the decisions were made on.
    public var sampleIndex: Int
    public var symbol: Symbol
    public var side: Side
    public var entryTime: Timestamp
    public var exitTime: Timestamp
    /// Barrier return after fees, slippage and funding.
    public var netReturn: Double
    /// The label was the traded side (its take-profit came first).
    public var won: Bool
}

/// One position per symbol at a time — the gate a real account imposes.
///
/// Decisions every 15 minutes with a 4-hour label horizon overlap: a signal while the symbol's
/// previous trade is still open could not have been taken (the kernel ignores it), and counting
/// it would count the same price path several times. Walking the decisions in time order, a
/// signal opens a trade only when its symbol has none open (`decision time ≥ previous exit
/// time`, the exit being the traded side's barrier or horizon); the signals in between are
/// skipped. Counts, totals, expectancies and bounds are computed on the trades that remain.
public enum PositionGate {
    /// - Parameters:
    ///   - sides: per sample, the decided class (`.none` = no signal).
    ///   - samples: sorted by time, then symbol (as `SignalDataset` builds them).
    public static func select(sides: [SignalClass], samples: [LabeledSample]) -> [SelectedTrade] {
        var openUntil: [Symbol: Timestamp] = [:]
        var trades: [SelectedTrade] = []
        for (index, decided) in zip(sides.indices, sides) {
            guard let side = decided.side else { continue }
            let sample = samples[index]
            if let busy = openUntil[sample.symbol], sample.time < busy { continue }
            let exit = sample.exitTime(side)
            openUntil[sample.symbol] = exit
            trades.append(SelectedTrade(sampleIndex: index, symbol: sample.symbol, side: side, entryTime: sample.time, exitTime: exit,
                                        netReturn: sample.realizedReturn(side), won: sample.label == decided))
        }
        return trades
    }
}
