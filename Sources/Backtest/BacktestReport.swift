import Foundation
import TradingEngine
import TradingModel

/// Writes a run folder: `trades.csv`, `equity.csv`, `report.html` (`ReportPage`: charts drawn by
/// an inline script from embedded data, no network), `summary.txt`. Output is a pure function of the run (byte-identical for
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

    /// The self-contained `report.html` page (`ReportPage`): summary, price chart with trades and
    /// their levels, equity, drawdown, monthly returns, distributions, exits by reason, trade list.
    /// `prices`: the replayed candles per symbol (empty: the price chart is left blank).
    public static func html(title: String, summary: BacktestSummary, output: BacktestOutput, prices: [ReportPriceSeries] = []) -> String {
        String(decoding: ReportPage.bytes(title: title, summary: summary, output: output, prices: prices), as: UTF8.self)
    }

    /// A two-column HTML table of `label   value` lines (the first run of two spaces splits them;
    /// a first line ending in `:` becomes the caption), for figures printed to the terminal.
    public static func labelledTable(_ lines: [String], id: String) -> String { ReportTables.labelled(lines, id: id) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Writes the run folder (created if needed). Throws the first I/O error, naming the file.
    /// `prices`: the replayed candles per symbol, for the report's price chart.
    public static func write(to directory: String, title: String, output: BacktestOutput, summary: BacktestSummary,
                             prices: [ReportPriceSeries] = []) throws {
        let samples = output.equityCurve?.samples ?? []
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BacktestReportError(path: directory, message: BacktestReportError.reason(error))
        }
        let files: [(String, Data)] = [
            ("trades.csv", Data(tradesCSV(output.trades).utf8)),
            ("equity.csv", Data(equityCSV(samples).utf8)),
            ("report.html", Data(ReportPage.bytes(title: title, summary: summary, output: output, prices: prices))),
            ("summary.txt", Data((summary.lines.joined(separator: "\n") + "\n").utf8)),
        ]
        for (name, bytes) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
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
