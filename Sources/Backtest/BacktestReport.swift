import Foundation
import TradingEngine
import TradingModel

/// Writes a run folder: `trades.csv`, `equity.csv`, `report.html` (equity and drawdown as inline
/// SVG, no scripts), `summary.txt`. Output is a pure function of the run (byte-identical for
/// identical runs). Files are written to a temporary name and renamed: nothing half-written.
public enum BacktestReport {
    public static let tradesHeader = "entry_time,exit_time,symbol,side,quantity,entry_price,exit_price,exit_reason,gross_pnl,fees,funding,net_pnl,leverage"
    public static let equityHeader = "time,equity,wallet_balance,unrealized_pnl,drawdown"

    public static func tradesCSV(_ trades: [ClosedTrade]) -> String {
        var text = tradesHeader + "\n"
        for trade in trades {
            text += "\(trade.entryTime.iso8601),\(trade.exitTime.iso8601),\(trade.symbol),\(trade.side),\(trade.quantity),"
            text += "\(trade.entryPrice),\(trade.exitPrice),\(trade.exitReason.rawValue),\(trade.grossPnL),\(trade.fees),"
            text += "\(trade.funding),\(trade.netPnL),\(trade.leverage)\n"
        }
        return text
    }

    public static func equityCSV(_ samples: [EquitySample]) -> String {
        var text = equityHeader + "\n"
        for sample in samples {
            text += "\(sample.time.iso8601),\(sample.equity),\(sample.walletBalance),\(sample.unrealizedPnL),\(sample.drawdown)\n"
        }
        return text
    }

    /// A self-contained HTML page: summary table, equity and drawdown charts (inline SVG).
    public static func html(title: String, summary: BacktestSummary, samples: [EquitySample]) -> String {
        let rows = summary.lines.map { line -> String in
            let name = String(line.prefix(18)).trimmingCharacters(in: .whitespaces)
            let value = String(line.dropFirst(18))
            return "<tr><th>\(escape(name))</th><td>\(escape(value))</td></tr>"
        }.joined(separator: "\n")
        let equity = chart(samples.map { $0.equity.doubleValue }, colour: "#1f6feb", label: "Equity (USDT)")
        let drawdown = chart(samples.map { $0.drawdown.doubleValue }, colour: "#d1242f", label: "Drawdown (USDT)")
        let first = samples.first?.time.iso8601 ?? "", last = samples.last?.time.iso8601 ?? ""
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}th{text-align:left;padding:2px 12px 2px 0}
        td{font-family:monospace}svg{border:1px solid #ddd;margin:8px 0;background:#fff}h2{font-size:1.1em}</style></head>
        <body><h1>\(escape(title))</h1>
        <table>
        \(rows)
        </table>
        <h2>Equity \(escape(first)) to \(escape(last))</h2>
        \(equity)
        <h2>Drawdown from running peak</h2>
        \(drawdown)
        </body></html>

        """
    }

    /// An SVG line chart of `values` (800×240), with min and max labels.
    static func chart(_ values: [Double], colour: String, label: String) -> String {
        let width = 800.0, height = 240.0, margin = 40.0
        guard values.count >= 2, let low = values.min(), let high = values.max() else {
            return "<svg width=\"800\" height=\"60\"><text x=\"10\" y=\"30\">\(escape(label)): not enough points</text></svg>"
        }
        let span = high - low == 0 ? 1 : high - low
        var points: [String] = []
        points.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let x = margin + (width - 2 * margin) * Double(index) / Double(values.count - 1)
            let y = margin + (height - 2 * margin) * (1 - (value - low) / span)
            points.append(DisplayNumber.fixed(x, 1) + "," + DisplayNumber.fixed(y, 1))
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="800" height="240" role="img" aria-label="\(escape(label))">
        <text x="4" y="14" font-size="12">\(escape(label))</text>
        <text x="4" y="\(Int(margin) + 4)" font-size="11">\(DisplayNumber.fixed(high, 2))</text>
        <text x="4" y="\(Int(height - margin) + 4)" font-size="11">\(DisplayNumber.fixed(low, 2))</text>
        <polyline fill="none" stroke="\(colour)" stroke-width="1.2" points="\(points.joined(separator: " "))"/>
        </svg>
        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Writes the run folder (created if needed). Throws the first I/O error, naming the file.
    public static func write(to directory: String, title: String, output: BacktestOutput, summary: BacktestSummary) throws {
        let samples = output.equityCurve?.samples ?? []
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BacktestReportError(path: directory, message: BacktestReportError.reason(error))
        }
        let files: [(String, String)] = [
            ("trades.csv", tradesCSV(output.trades)),
            ("equity.csv", equityCSV(samples)),
            ("report.html", html(title: title, summary: summary, samples: samples)),
            ("summary.txt", summary.lines.joined(separator: "\n") + "\n"),
        ]
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw BacktestReportError(path: path, message: BacktestReportError.reason(error))
            }
        }
    }
}

/// A run folder file could not be written.
public struct BacktestReportError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "cannot write \(DisplayText.escaped(path)): \(message)" }

    /// Checks, before a run, that `directory` can become its run folder: the nearest existing
    /// ancestor is a directory the process may write in (nothing is created yet).
    public static func checkWritable(_ directory: String) throws(BacktestReportError) {
        var candidate = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) {
            let parent = candidate.deletingLastPathComponent()
            guard parent.path != candidate.path else { break }
            candidate = parent
        }
        guard isDirectory.boolValue else {
            throw BacktestReportError(path: directory, message: "\(DisplayText.escaped(candidate.path)) is not a directory")
        }
        guard access(candidate.path, W_OK | X_OK) == 0 else {
            throw BacktestReportError(path: directory, message: "\(DisplayText.escaped(candidate.path)): \(String(cString: strerror(errno)))")
        }
    }

    /// The operating system's reason for a file error, one line (`Not a directory`,
    /// `Permission denied`), instead of a Foundation error dump.
    public static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return DisplayText.escaped(nsError.localizedDescription, limit: 200)
    }
}
