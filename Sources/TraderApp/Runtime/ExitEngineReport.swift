import Foundation
import TradingEngine
import TradingModel

/// The exit engine's per-trade metrics aggregated over a run: how often each target was hit,
/// how much of the position was harvested at targets, realized PnL against the best the market
/// offered, stop hits, exit reasons and the delay from a level crossing to the close order.
struct ExitEngineReport: Sendable {
    var trades: Int
    /// Share of trades whose TP1, TP2, TP3 slice was fully closed (0…1).
    var targetHitRates: [Double]
    /// Quantity closed at targets over the initial quantity, summed over trades (0…1).
    var harvestedFraction: Double
    /// Sum of realized gross PnL over the sum of the best unrealized PnL seen (max favourable
    /// excursion × initial quantity); nil when no trade moved in its favour.
    var realizedVsMaxFavourable: Double?
    var stopHits: Int
    var tradesStopped: Int
    var exitReasons: [(reason: String, count: Int)]
    /// Level crossed → close order sent, milliseconds (median, max) over every close decision.
    var levelToOrderMedian: Int64?
    var levelToOrderMax: Int64?

    init(trades exitTrades: [BacktestRuntime.ExitTrade]) {
        trades = exitTrades.count
        var hits = [0, 0, 0]
        var harvested = 0.0
        var initial = 0.0
        var realized = 0.0
        var favourable = 0.0
        var stops = 0
        var stopped = 0
        var reasons: [String: Int] = [:]
        var delays: [Int64] = []
        for trade in exitTrades {
            let metrics = trade.metrics
            for level in metrics.targetsHit where (1...3).contains(level) { hits[level - 1] += 1 }
            harvested += metrics.harvestedQuantity.doubleValue
            initial += metrics.initialQuantity.doubleValue
            realized += metrics.realizedPnL.doubleValue
            favourable += trade.maxFavourablePnL
            stops += metrics.stopHits
            if metrics.stopHits > 0 { stopped += 1 }
            reasons[trade.reason.rawValue, default: 0] += 1
            delays += metrics.levelToOrderMilliseconds
        }
        let count = exitTrades.count
        targetHitRates = hits.map { count == 0 ? 0 : Double($0) / Double(count) }
        harvestedFraction = initial > 0 ? harvested / initial : 0
        realizedVsMaxFavourable = favourable > 0 ? realized / favourable : nil
        stopHits = stops
        tradesStopped = stopped
        exitReasons = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        delays.sort()
        levelToOrderMedian = delays.isEmpty ? nil : delays[delays.count / 2]
        levelToOrderMax = delays.last
    }

    /// Terminal lines (also written to summary.txt's neighbour exit_metrics.txt).
    var lines: [String] {
        func pct(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        var lines = ["exit engine (\(trades) positions):"]
        lines.append("  target hit rate    TP1 \(pct(targetHitRates[0]))  TP2 \(pct(targetHitRates[1]))  TP3 \(pct(targetHitRates[2]))")
        lines.append("  harvested at targets \(pct(harvestedFraction)) of quantity; realized / max favourable "
                     + (realizedVsMaxFavourable.map { pct($0) } ?? "n/a"))
        lines.append("  stop hits          \(stopHits) (\(tradesStopped) positions)")
        lines.append("  exit reasons       " + (exitReasons.isEmpty ? "none" : exitReasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")))
        lines.append("  level → order      " + (levelToOrderMedian.map { "median \($0) ms, max \(levelToOrderMax!) ms (bar-path replay: crossings act at once)" } ?? "no close decisions"))
        return lines
    }
}
