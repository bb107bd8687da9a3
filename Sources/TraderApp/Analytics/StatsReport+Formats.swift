import Foundation
import TradingEngine
import TradingModel

extension StatsReport {
    /// The figures as JSON: money as exact decimal strings, rates as fractions (0.4 = 40%).
    public func json() throws -> String {
        let s = stats
        func interval(_ value: ClusteredEstimates.Interval?) -> [String: Double]? { value.map { ["low": $0.low, "high": $0.high] } }
        let object = StatsJSON(
            selection: filter.summary, runs: runIDs, trades: s.count, independentGroups: s.independentGroups, wins: s.wins, losses: s.losses,
            winRate: s.winRate, winRateInterval: interval(s.winRateInterval), winRateEffectiveCount: s.winRateEffectiveCount,
            averageWin: s.averageWin.map { "\($0)" }, averageLoss: s.averageLoss.map { "\($0)" }, payoffRatio: s.payoffRatio,
            profitFactor: s.profitFactor, expectancy: "\(s.expectancy)", expectancyInterval: interval(s.expectancyInterval),
            expectancyR: s.expectancyR, expectancyRInterval: interval(s.expectancyRInterval), rTrades: s.rTrades,
            targetHitRates: s.targetTrades > 0 ? s.targetHitRates : nil, targetTrades: s.targetTrades, stopHitRate: s.stopHitRate,
            exitReasons: Dictionary(uniqueKeysWithValues: s.exitReasons.map { ($0.reason, $0.count) }),
            harvestEffectiveness: s.harvestEffectiveness, harvestTrades: s.harvestTrades,
            meanTimeInTradeSeconds: s.meanTimeInTrade.components.seconds, medianTimeInTradeSeconds: s.medianTimeInTrade.components.seconds,
            netPnl: "\(s.netPnL)", grossProfit: "\(s.grossProfit)", grossLoss: "\(s.grossLoss)", fees: "\(s.fees)", funding: "\(s.funding)",
            maxDrawdown: "\(s.maxDrawdown)", maxDrawdownPct: s.maxDrawdownPct, sharpe: s.sharpe, sortino: s.sortino, days: s.days,
            startingEquity: s.startingEquity.map { "\($0)" },
            entrySlippage: entrySlippage.flatMap { $0.measured > 0 ? StatsJSON.EntrySlippageJSON(total: "\($0.total)", measured: $0.measured, unmeasured: $0.unmeasured, meanBps: $0.meanBps) : nil },
            verdict: .init(required: s.verdict.required, independentTrades: s.verdict.independentTrades, enough: s.verdict.enough,
                           edge: s.verdict.edge.rawValue, text: s.verdict.text))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }

    /// A self-contained HTML page (no scripts, no external resources).
    public var html: String {
        let body = rows.map { "<tr><th>\(Self.escape($0.label))</th><td>\(Self.escape($0.value))</td></tr>" }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>qt stats</title>
        <style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1.5em;vertical-align:top}td{font-family:monospace}</style>
        </head><body><h1>Trade statistics</h1>
        <table>
        \(body)
        </table></body></html>

        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// The JSON shape of `qt stats --json`.
struct StatsJSON: Codable {
    struct Verdict: Codable {
        var required: Int
        var independentTrades: Int
        var enough: Bool
        var edge: String
        var text: String
    }
    var selection: String
    var runs: [Int64]
    var trades: Int
    var independentGroups: Int
    var wins: Int
    var losses: Int
    var winRate: Double
    var winRateInterval: [String: Double]?
    var winRateEffectiveCount: Double
    var averageWin: String?
    var averageLoss: String?
    var payoffRatio: Double?
    var profitFactor: Double?
    var expectancy: String
    var expectancyInterval: [String: Double]?
    var expectancyR: Double?
    var expectancyRInterval: [String: Double]?
    var rTrades: Int
    var targetHitRates: [Double]?
    var targetTrades: Int
    var stopHitRate: Double
    var exitReasons: [String: Int]
    var harvestEffectiveness: Double?
    var harvestTrades: Int
    var meanTimeInTradeSeconds: Int64
    var medianTimeInTradeSeconds: Int64
    var netPnl: String
    var grossProfit: String
    var grossLoss: String
    var fees: String
    var funding: String
    var maxDrawdown: String
    var maxDrawdownPct: Double?
    var sharpe: Double?
    var sortino: Double?
    var days: Int
    var startingEquity: String?
    /// Entry fills against the signals' prices (money exact); nil when no trade is measured.
    var entrySlippage: EntrySlippageJSON?
    var verdict: Verdict

    struct EntrySlippageJSON: Codable {
        var total: String
        var measured: Int
        var unmeasured: Int
        var meanBps: Double?
    }
}
