import Backtest
import Foundation
import TradingEngine
import TradingModel

extension Diagnosis {
    /// Sections in reading order: findings first.
    public var sections: [(title: String, lines: [String])] {
        var result: [(String, [String])] = []
        var findingLines: [String] = []
        for (index, finding) in findings.enumerated() {
            findingLines.append("\(index + 1). \(finding.severity.rawValue) [\(finding.rule)] \(finding.title)")
            findingLines += finding.evidence.map { "     - \($0)" }
        }
        result.append(("findings (\(findings.count))", findingLines.isEmpty ? ["none: no rule found a problem in these facts"] : findingLines))
        result += venueSections
        result.append(("account", account))
        result.append(("open positions (\(positions.count))", positions.isEmpty ? ["none"] : positions.flatMap(Self.positionLines)))
        result.append(("recent signals (\(signals.count))", signals.isEmpty ? ["none"] : signals.reversed().map(Self.signalLine)))
        result.append(("recent alerts (\(alerts.count))", alerts.isEmpty ? ["none"] : alerts.reversed().map { record in
            let alert = record.alert
            return "\(alert.time) \(alert.severity.rawValue) \(alert.kind)\(alert.symbol.map { " \($0)" } ?? ""): \(alert.message)"
        }))
        result.append(("model health", modelHealth))
        return result
    }

    static func positionLines(_ position: OpenPosition) -> [String] {
        let saved = position.saved
        var head = "\(saved.symbol) \(saved.side?.rawValue ?? "?") \(saved.remainingQuantity.map { "\($0)" } ?? "?") @ \(saved.entryPrice.map { "\($0)" } ?? "?")"
            + (position.leverage.map { ", \($0)x" } ?? "") + " (run #\(saved.runID))"
        if let figures = position.figures {
            head += ": price \(figures.price) (\(position.priceSource ?? "given")), move \(pct(figures.returns.priceMovePct)), ROE \(pct(figures.returns.roePct)), "
                + "unrealised \(StatsReport.usdt(figures.unrealizedPnL)) USDT, notional \(StatsReport.usdt(figures.notional)) USDT"
                + (figures.liquidationPrice.map { ", liquidation \($0)" } ?? "")
        } else {
            head += ": no price (figures need --price or --data)"
        }
        var protection = "protection: owner \(saved.executor), stop \(saved.stopPrice.map { "\($0)" } ?? "NONE")"
        protection += position.stopBreached ? " (BREACHED)" : ""
        protection += ", last price event \(saved.lastPriceEventAt.map { "\($0)" } ?? "none")"
        protection += saved.restingBackstop.map { ", backstop resting at \($0)" } ?? ", backstop MISSING"
        if !saved.openTargets.isEmpty { protection += ", targets " + saved.openTargets.map { "TP\($0.level) \($0.price)" }.joined(separator: " ") }
        if let problem = saved.problem { protection += " — PROBLEM: \(problem)" }
        return [head, "  " + protection]
    }

    static func signalLine(_ decision: DecisionRecord) -> String {
        let signal = decision.signal
        let confidence = signal.confidence.map { " confidence \(DisplayNumber.fixed($0, 2))" } ?? ""
        let verdict = decision.approved
            ? "approved" + (decision.quantity.map { " \($0)" } ?? "") + (decision.leverage.map { " at \($0)x" } ?? "")
            : "rejected: " + decision.reasons.joined(separator: "; ")
        return "\(signal.time) \(signal.symbol) \(signal.side.rawValue)\(confidence) (\(signal.source), run #\(decision.runID)): \(verdict)"
    }

    public var lines: [String] {
        var lines = ["diagnosis as of \(asOf)"]
        for section in sections {
            lines.append("")
            lines.append(section.title.uppercased())
            lines += section.lines.map { "  " + $0 }
        }
        return lines
    }

    /// A self-contained HTML page (no scripts, no external resources), findings first.
    public var html: String {
        var body = "<h1>qt diagnose</h1><p>as of \(StatsReport.escape("\(asOf)"))</p>\n"
        for section in sections {
            body += "<h2>\(StatsReport.escape(section.title))</h2>\n<pre>\(StatsReport.escape(section.lines.joined(separator: "\n")))</pre>\n"
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>qt diagnose</title>
        <style>body{font-family:sans-serif;margin:2em}pre{background:#f6f6f6;padding:0.8em;white-space:pre-wrap}</style>
        </head><body>
        \(body)</body></html>

        """
    }
}
