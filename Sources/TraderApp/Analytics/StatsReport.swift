import Backtest
import Foundation
import TradingEngine
import TradingModel

/// `qt stats` output: the statistics as text lines, JSON or an HTML page.
public struct StatsReport: Sendable {
    public var stats: TradeStatistics
    public var filter: TradeFilter
    /// Runs the trades came from.
    public var runIDs: [Int64]
    /// Where the starting equity came from (`--capital`, the run's first equity sample).
    public var equitySource: String?
    /// The selected trades' entries against their signals' prices; nil when not computed.
    public var entrySlippage: EntrySlippage?

    public init(stats: TradeStatistics, filter: TradeFilter, runIDs: [Int64], equitySource: String?, entrySlippage: EntrySlippage? = nil) {
        self.entrySlippage = entrySlippage
        self.stats = stats
        self.filter = filter
        self.runIDs = runIDs
        self.equitySource = equitySource
    }

    /// Money to the cent (halves away from zero) for display; the exact amount when rounding could overflow.
    static func usdt(_ amount: Money) -> String {
        guard amount.raw.magnitude < UInt64(Int64.max) - 1_000_000 else { return "\(amount)" }
        return amount.rounded(toMultipleOf: Money(raw: 1_000_000), .nearest).formatted(decimals: 2)
    }

    static func pct(_ rate: Double) -> String { DisplayNumber.fixed(rate * 100, 2) + "%" }

    static func duration(_ span: Duration) -> String {
        let minutes = span.components.seconds / 60
        let days = minutes / 1440, hours = (minutes % 1440) / 60, rest = minutes % 60
        return days > 0 ? "\(days)d \(hours)h \(rest)m" : "\(hours)h \(rest)m"
    }

    /// Label and value of every figure, in reading order (text and HTML share them).
    public var rows: [(label: String, value: String)] {
        let s = stats
        var rows: [(String, String)] = []
        rows.append(("selection", "\(filter.summary); runs \(runIDs.map(String.init).joined(separator: ","))"))
        rows.append(("sample", s.verdict.text))
        rows.append(("trades", "\(s.count) (\(s.wins) won, \(s.losses) lost or flat), \(s.independentGroups) independent groups"))
        rows.append(("win rate", "\(Self.pct(s.winRate)), 95% interval \(Self.pct(s.winRateInterval.low))–\(Self.pct(s.winRateInterval.high))"
                     + " (Wilson on an effective \(DisplayNumber.fixed(s.winRateEffectiveCount, 1)) trades)"))
        rows.append(("average win", s.averageWin.map { "\(Self.usdt($0)) USDT" } ?? "n/a (no winning trade)"))
        rows.append(("average loss", s.averageLoss.map { "\(Self.usdt($0)) USDT" } ?? "n/a (no losing trade)"))
        rows.append(("payoff ratio", s.payoffRatio.map { DisplayNumber.fixed($0, 3) } ?? "n/a"))
        rows.append(("profit factor", s.profitFactor.map { DisplayNumber.fixed($0, 3) } ?? "n/a (no losing trade)"))
        let interval = s.expectancyInterval.map { ", 95% interval \(DisplayNumber.fixed($0.low, 2)) … \(DisplayNumber.fixed($0.high, 2)) USDT (cluster-robust, t with \(s.independentGroups - 1) df)" }
            ?? " (no interval: fewer than 2 independent groups)"
        rows.append(("expectancy", "\(Self.usdt(s.expectancy)) USDT per trade\(interval)"))
        if let r = s.expectancyR {
            let rInterval = s.expectancyRInterval.map { ", 95% interval \(DisplayNumber.fixed($0.low, 2)) … \(DisplayNumber.fixed($0.high, 2)) R" } ?? ""
            rows.append(("expectancy (R)", "\(DisplayNumber.fixed(r, 3)) R per trade over \(s.rTrades) trades with a planned stop\(rInterval)"))
        } else {
            rows.append(("expectancy (R)", "n/a: no selected trade records its planned stop"))
        }
        if s.targetTrades > 0 {
            rows.append(("targets hit", (0..<3).map { "TP\($0 + 1) \(Self.pct(s.targetHitRates[$0]))" }.joined(separator: ", ")
                         + " of \(s.targetTrades) trades with recorded exits"))
        } else {
            rows.append(("targets hit", "n/a: no selected trade records its take-profit fills"))
        }
        rows.append(("stop hit", "\(Self.pct(s.stopHitRate)) of \(s.count) trades ended at the initial stop (stop_loss or backstop)"))
        rows.append(("harvest", s.harvestEffectiveness.map { "\(Self.pct($0)) of the best exit available while open (\(s.harvestTrades) trades)" }
                     ?? "n/a: no selected trade records its best price"))
        rows.append(("exit reasons", s.exitReasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")))
        rows.append(("time in trade", "mean \(Self.duration(s.meanTimeInTrade)), median \(Self.duration(s.medianTimeInTrade))"))
        rows.append(("net PnL", "\(Self.usdt(s.netPnL)) USDT after fees \(Self.usdt(s.fees)) and funding \(Self.usdt(s.funding)) USDT"
                     + " (gross profit \(Self.usdt(s.grossProfit)), gross loss \(Self.usdt(s.grossLoss)))"))
        if let entry = entrySlippage, entry.measured > 0 {
            rows.append(("entry slippage", "\(entry.total) USDT over \(entry.measured) entries, mean \(DisplayNumber.fixed(entry.meanBps ?? 0, 1)) bps "
                         + "against the signals' prices (> 0: filled worse)" + (entry.unmeasured > 0 ? "; \(entry.unmeasured) trades without a reference price" : "")))
        } else {
            rows.append(("entry slippage", "n/a: no selected trade has its signal's reference price (decisions recorded before schema v6)"))
        }
        rows.append(("max drawdown", "\(Self.usdt(s.maxDrawdown)) USDT of realised PnL, trades in exit order"
                     + (s.maxDrawdownPct.map { " (\(DisplayNumber.fixed($0, 2))% of peak equity)" } ?? "")))
        if let start = s.startingEquity {
            let ratios = s.sharpe.map { "Sharpe \(DisplayNumber.fixed($0, 2)), Sortino \(s.sortino.map { DisplayNumber.fixed($0, 2) } ?? "n/a (no losing day)")" }
                ?? "Sharpe and Sortino n/a (fewer than 2 days or no variation)"
            rows.append(("daily ratios", "\(ratios) over \(s.days) days, annualised √365, on \(Self.usdt(start)) USDT starting equity (\(equitySource ?? "given"))"))
        } else {
            rows.append(("daily ratios", "n/a: no starting equity recorded for these runs (pass --capital USDT)"))
        }
        return rows
    }

    public var lines: [String] {
        rows.map { row in row.label.padding(toLength: 16, withPad: " ", startingAt: 0) + row.value }
    }
}
