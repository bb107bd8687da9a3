import Foundation
import Backtest
import TradingEngine

/// Adds the exit-engine metrics, the rejection table and the watchdog incidents to a run folder:
/// `exit_metrics.txt`, `rejections.txt`, `incidents.txt`, and sections in `report.html`.
enum RunReportSections {
    static func append(to directory: String, exitMetrics: [String], rejectionTable: String, incidents: [Incident]) throws {
        var html = ""
        if !exitMetrics.isEmpty {
            try write(exitMetrics.joined(separator: "\n") + "\n", to: directory + "/exit_metrics.txt")
            html += "<section><h2>Exit engine</h2>\(BacktestReport.labelledTable(exitMetrics, id: "exit-engine"))</section>\n"
        }
        if !rejectionTable.isEmpty {
            try write(rejectionTable + "\n", to: directory + "/rejections.txt")
            html += "<section><h2>Validation: signals taken and rejected</h2><pre>\(escape(rejectionTable))</pre></section>\n"
        }
        if !incidents.isEmpty {
            let lines = incidents.map { "\($0.detectedAt) \($0.kind.rawValue) \($0.symbol) \($0.positionKey): \($0.detail)" }
            try write(lines.joined(separator: "\n") + "\n", to: directory + "/incidents.txt")
            html += "<section><h2>Watchdog incidents</h2><pre>\(escape(lines.joined(separator: "\n")))</pre></section>\n"
        }
        guard !html.isEmpty else { return }
        let path = directory + "/report.html"
        let report = try String(contentsOfFile: path, encoding: .utf8)
        guard let end = report.range(of: "</body>", options: .backwards) else {
            throw BacktestRunError("\(path): no </body> to add the exit and validation sections to")
        }
        try write(report.replacingCharacters(in: end, with: html + "</body>"), to: path)
    }

    private static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BacktestReportError(path: path, message: BacktestReportError.reason(error))
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
