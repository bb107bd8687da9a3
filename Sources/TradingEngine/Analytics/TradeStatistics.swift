import TradingModel

/// The statistics of a set of closed trades, each figure named for what it measures.
///
/// Money (sums, averages, drawdown) is exact fixed point, summed wide so no store value can
/// overflow it; rates, ratios and intervals are `Double` for display. A trade wins when its net
/// PnL (after fees and funding) is positive; every other trade counts as a loss, as in the
/// backtest summary. Overlapping trades are grouped (`OverlapGroups`) and the intervals and the
/// sample-size verdict count groups, not trades.
public struct TradeStatistics: Sendable, Hashable {
    /// Closed trades needed before the figures judge anything (independent groups, not trades).
    public static let minimumIndependentTrades = 30

    public var count: Int
    /// Groups of trades whose holding periods overlap (each counts once toward the verdict).
    public var independentGroups: Int
    public var wins: Int
    public var losses: Int
    /// Wins / count.
    public var winRate: Double
    /// Wilson 95% interval of the win rate on the effective sample size (overlap-aware).
    public var winRateInterval: ClusteredEstimates.Interval
    /// The sample size the win-rate interval rests on (≤ count).
    public var winRateEffectiveCount: Double
    /// Mean net PnL of winning / losing trades; nil without such a trade.
    public var averageWin: Money?
    public var averageLoss: Money?
    /// averageWin / |averageLoss|; nil without both.
    public var payoffRatio: Double?
    /// Gross profit / |gross loss| of net trade PnL; nil without a losing trade.
    public var profitFactor: Double?
    public var grossProfit: Money
    public var grossLoss: Money
    public var netPnL: Money
    public var fees: Money
    /// Funding paid (positive) or received (negative).
    public var funding: Money
    /// Mean net PnL per trade, and its cluster-robust 95% interval (USDT; nil below two groups).
    public var expectancy: Money
    public var expectancyInterval: ClusteredEstimates.Interval?
    /// Mean net PnL in multiples of the planned risk, over `rTrades` trades with a planned stop.
    public var expectancyR: Double?
    public var expectancyRInterval: ClusteredEstimates.Interval?
    public var rTrades: Int
    /// Share of trades (with known exit details, `targetTrades` of them) whose TP1, TP2, TP3 slice filled.
    public var targetHitRates: [Double]
    public var targetTrades: Int
    /// Share of all trades that ended at their initial stop (`stop_loss` or the exchange `backstop`).
    public var stopHitRate: Double
    /// Trades per exit reason, most frequent first.
    public var exitReasons: [ExitReasonCount]
    /// Realised price PnL over the best exit available while open (Σ gross / Σ best), over
    /// `harvestTrades` trades with a known best price; nil when no trade had a favourable move.
    public var harvestEffectiveness: Double?
    public var harvestTrades: Int
    /// Holding time, mean and median.
    public var meanTimeInTrade: Duration
    public var medianTimeInTrade: Duration
    /// Largest fall of cumulative net PnL from its running peak, trades in exit order (≥ 0).
    public var maxDrawdown: Money
    /// The same as a share of the peak equity (starting equity plus PnL); nil without a starting equity.
    public var maxDrawdownPct: Double?
    /// Annualised (√365) Sharpe and Sortino ratios of daily returns on equity; nil without a
    /// starting equity, with fewer than two days, or no variation.
    public var sharpe: Double?
    public var sortino: Double?
    /// Calendar days of the daily return series.
    public var days: Int
    public var startingEquity: Money?
    public var verdict: SampleVerdict

    public struct ExitReasonCount: Sendable, Hashable {
        public var reason: String
        public var count: Int
    }
}

/// Whether there are enough independent closed trades to judge, and what the figures then say.
public struct SampleVerdict: Sendable, Hashable {
    public var required: Int
    public var closedTrades: Int
    public var independentTrades: Int
    /// True when `independentTrades ≥ required`.
    public var enough: Bool
    /// The expectancy's interval lies above zero / below zero (only judged when `enough`).
    public var edge: Edge

    public enum Edge: String, Sendable, Hashable {
        case notJudged = "not judged"
        case positive, negative
        case undecided = "not distinguishable from zero"
    }

    /// One line: `30 closed trades needed to judge, 12 so far (9 independent: overlapping trades count once)`.
    public var text: String {
        let overlap = independentTrades == closedTrades ? "" : " (\(closedTrades) closed; overlapping trades count once)"
        guard enough else {
            return "\(required) independent closed trades needed to judge, \(independentTrades) so far\(overlap)"
        }
        let judged = switch edge {
        case .positive: "expectancy positive at 95%"
        case .negative: "expectancy negative at 95%"
        case .undecided, .notJudged: "expectancy not distinguishable from zero at 95%"
        }
        return "\(independentTrades) independent closed trades (≥ \(required)) are enough to judge: \(judged)\(overlap)"
    }
}
