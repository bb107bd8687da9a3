import TradingModel

/// Figures of one side's trades.
public struct SideFigures: Sendable, Hashable, Codable {
    public var trades: Int
    public var wins: Int
    /// Mean net return per trade; nil without trades.
    public var expectancy: Double?
    public var totalReturn: Double

    public init(trades: Int, wins: Int, totalReturn: Double) {
        self.trades = trades
        self.wins = wins
        self.totalReturn = totalReturn
        expectancy = trades > 0 ? totalReturn / Double(trades) : nil
    }

    public init(_ trades: [SelectedTrade]) {
        self.trades = trades.count
        wins = trades.filter(\.won).count
        totalReturn = trades.reduce(0) { $0 + $1.netReturn }
        expectancy = trades.isEmpty ? nil : totalReturn / Double(trades.count)
    }
}

/// Out-of-sample trading figures of a set of decisions after the position gate.
///
/// `signals` counts every decision bar that signalled; `trades` only those one position per
/// symbol at a time could have taken (`PositionGate`). Expectancy, total and the interval are
/// over `trades`. The interval is the day-block bootstrap's (`DayBlockBootstrap`) over the
/// evaluation window's days that had decision bars (a gap in the data is not a day without trades).
public struct TradeSummary: Sendable, Hashable, Codable {
    public var signals: Int
    public var trades: Int
    /// signals / decision bars.
    public var coverage: Double
    /// Fraction of trades whose label was the traded side; nil without trades.
    public var precision: Double?
    /// Mean net return per trade (price-move fraction); nil without trades.
    public var expectancy: Double?
    /// Sum of the trades' net returns (not compounded): what one position at a time earned.
    public var totalReturn: Double
    /// 95% day-block bootstrap interval of the expectancy and its p-value (H0: ≤ 0).
    public var interval: BootstrapInterval?
    public var long: SideFigures
    public var short: SideFigures

    public var expectancyLowerBound: Double? { interval?.lower }

    /// The summary of `sides` on `samples` over the window `[windowStart, windowEnd]` (its UTC
    /// days are the bootstrap's days).
    /// `bootstrap` nil: no interval (the random-entry draws, which only need their means).
    public static func compute(sides: [SignalClass], samples: [LabeledSample], windowStart: Timestamp, windowEnd: Timestamp,
                               bootstrap: DayBlockBootstrap?) -> TradeSummary {
        let trades = PositionGate.select(sides: sides, samples: samples)
        return summarize(trades: trades, signals: sides.filter { $0 != .none }.count, decisionBars: samples.count,
                         windowStart: windowStart, windowEnd: windowEnd, bootstrap: bootstrap,
                         observedDays: bootstrap == nil ? nil : DayBlockBootstrap.days(of: samples.map(\.time)))
    }

    /// The summary of trades already through the gate; `observedDays`: the days with decision
    /// bars (nil = every day of the window).
    public static func summarize(trades: [SelectedTrade], signals: Int, decisionBars: Int, windowStart: Timestamp, windowEnd: Timestamp,
                                 bootstrap: DayBlockBootstrap?, observedDays: Set<Int64>? = nil) -> TradeSummary {
        let total = trades.reduce(0) { $0 + $1.netReturn }
        let interval = trades.isEmpty ? nil
            : bootstrap?.interval(values: trades.map { ($0.entryTime, $0.netReturn) }, windowStart: windowStart, windowEnd: windowEnd,
                                  observedDays: observedDays)
        return TradeSummary(signals: signals, trades: trades.count, coverage: decisionBars > 0 ? Double(signals) / Double(decisionBars) : 0,
                            precision: trades.isEmpty ? nil : Double(trades.filter(\.won).count) / Double(trades.count),
                            expectancy: trades.isEmpty ? nil : total / Double(trades.count), totalReturn: total, interval: interval,
                            long: SideFigures(trades.filter { $0.side == .long }), short: SideFigures(trades.filter { $0.side == .short }))
    }
}
