import TradingEngine
import TradingModel

/// The report's tables computed here (deterministic HTML, readable without the page's script):
/// monthly returns and the exits by reason.
enum ReportTables {
    /// Calendar months (UTC) of the equity curve: return of equity from the end of the previous
    /// month (the initial balance for the first) to the month's last sample, and the net PnL and
    /// count of trades closed in it. Rows are years, columns months, the last column the year.
    static func monthlyReturns(samples: [EquitySample], trades: [ClosedTrade], initialBalance: Money) -> String {
        guard !samples.isEmpty else { return "<p>No equity samples.</p>" }
        struct Month { var key: String; var startEquity: Double; var endEquity: Double; var net: Double = 0; var trades = 0 }
        var months: [Month] = []
        var previousEnd = initialBalance.doubleValue
        for sample in samples {
            // A sample is taken at a bar's close: one at 00:00 on the 1st closes the previous month.
            let key = String(Timestamp(milliseconds: sample.time.milliseconds - 1).iso8601.prefix(7))
            if months.last?.key != key {
                if let last = months.last { previousEnd = last.endEquity }
                months.append(Month(key: key, startEquity: previousEnd, endEquity: sample.equity.doubleValue))
            } else {
                months[months.count - 1].endEquity = sample.equity.doubleValue
            }
        }
        var indexByKey: [String: Int] = [:]
        for (index, month) in months.enumerated() { indexByKey[month.key] = index }
        for trade in trades {
            guard let index = indexByKey[String(trade.exitTime.iso8601.prefix(7))] else { continue }
            months[index].net += trade.netPnL.doubleValue
            months[index].trades += 1
        }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var html = "<table class=\"grid months\" id=\"monthly-returns\"><thead><tr><th>Year</th>"
        html += names.map { "<th>\($0)</th>" }.joined() + "<th>Year</th></tr></thead><tbody>\n"
        let years = Array(Set(months.map { String($0.key.prefix(4)) })).sorted()
        for year in years {
            let inYear = months.filter { $0.key.hasPrefix(year) }
            html += "<tr><th>\(year)</th>"
            for number in 1...12 {
                let key = year + "-" + (number < 10 ? "0" : "") + String(number)
                guard let month = inYear.first(where: { $0.key == key }) else { html += "<td></td>"; continue }
                html += cell(from: month.startEquity, to: month.endEquity,
                             title: "\(key): net PnL \(DisplayNumber.fixed(month.net, 2)) USDT on \(month.trades) closed trades; equity "
                                 + "\(DisplayNumber.fixed(month.startEquity, 2)) → \(DisplayNumber.fixed(month.endEquity, 2))")
            }
            let first = inYear.first!, last = inYear.last!
            html += cell(from: first.startEquity, to: last.endEquity,
                         title: "\(year): equity \(DisplayNumber.fixed(first.startEquity, 2)) → \(DisplayNumber.fixed(last.endEquity, 2))")
            html += "</tr>\n"
        }
        return html + "</tbody></table>"
    }

    private static func cell(from start: Double, to end: Double, title: String) -> String {
        guard start > 0 else { return "<td title=\"\(BacktestReport.escape(title))\">n/a</td>" }
        let change = (end / start - 1) * 100
        let strength = min(abs(change) / 5, 1)  // full colour at ±5%
        let colour = change >= 0 ? "rgba(26,127,55,\(DisplayNumber.fixed(0.08 + 0.5 * strength, 3)))"
            : "rgba(207,34,46,\(DisplayNumber.fixed(0.08 + 0.5 * strength, 3)))"
        return "<td style=\"background:\(colour)\" title=\"\(BacktestReport.escape(title))\">"
            + (change > 0 ? "+" : "") + DisplayNumber.fixed(change, 2) + "%</td>"
    }

    /// Exits by reason: count, share, win rate, net PnL (sum and mean), median holding time.
    static func exitReasons(trades: [ClosedTrade]) -> String {
        guard !trades.isEmpty else { return "<p>No closed trades.</p>" }
        var byReason: [ExitReason: [ClosedTrade]] = [:]
        for trade in trades { byReason[trade.exitReason, default: []].append(trade) }
        let ordered = byReason.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key.rawValue < $1.key.rawValue }
        var html = "<table class=\"grid numeric\" id=\"exit-reasons\"><thead><tr><th>exit reason</th><th>trades</th><th>share</th>"
            + "<th>win rate</th><th>net PnL (USDT)</th><th>mean net (USDT)</th><th>median holding</th></tr></thead><tbody>\n"
        for (reason, list) in ordered {
            let net = list.reduce(0.0) { $0 + $1.netPnL.doubleValue }
            let wins = list.filter { $0.netPnL.isPositive }.count
            let holdings = list.map { $0.exitTime.milliseconds - $0.entryTime.milliseconds }.sorted()
            html += "<tr><th><span class=\"swatch\" style=\"background:\(colour(reason))\"></span>\(reason.rawValue)</th>"
                + "<td>\(list.count)</td><td>\(DisplayNumber.fixed(Double(list.count) / Double(trades.count) * 100, 1))%</td>"
                + "<td>\(DisplayNumber.fixed(Double(wins) / Double(list.count) * 100, 1))%</td>"
                + "<td>\(DisplayNumber.fixed(net, 2))</td><td>\(DisplayNumber.fixed(net / Double(list.count), 2))</td>"
                + "<td>\(holding(holdings[holdings.count / 2]))</td></tr>\n"
        }
        return html + "</tbody></table>"
    }

    /// The colour of an exit reason on every chart and table of the report.
    static func colour(_ reason: ExitReason) -> String {
        switch reason {
        case .stopLoss: "#cf222e"
        case .takeProfit, .takeProfit1: "#1a7f37"
        case .takeProfit2: "#2da44e"
        case .takeProfit3: "#4ac26b"
        case .trailingStop: "#bf8700"
        case .profitLockStop: "#8250df"
        case .breakEvenStop: "#6e7781"
        case .reversal: "#0969da"
        case .liquidation: "#000000"
        default: "#d4a72c"
        }
    }

    /// `45m`, `3h 05m`, `2d 4h` from milliseconds.
    static func holding(_ milliseconds: Int64) -> String {
        let minutes = milliseconds / 60_000
        if minutes < 60 { return "\(minutes)m" }
        if minutes < 1440 { return "\(minutes / 60)h " + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)m" }
        return "\(minutes / 1440)d \((minutes % 1440) / 60)h"
    }

    /// A two-column table of `label   value` lines (the exit engine's metrics): the first run of
    /// two or more spaces splits label from value; a line ending in `:` is the caption.
    static func labelled(_ lines: [String], id: String) -> String {
        var caption = ""
        var rows = ""
        for line in lines {
            let trimmed = line.trimmingSpaces
            if trimmed.hasSuffix(":") && caption.isEmpty { caption = String(trimmed.dropLast()); continue }
            let (label, value) = split(trimmed)
            rows += "<tr><th>\(BacktestReport.escape(label))</th><td>\(BacktestReport.escape(value))</td></tr>\n"
        }
        return "<table class=\"grid\" id=\"\(id)\">" + (caption.isEmpty ? "" : "<caption>\(BacktestReport.escape(caption))</caption>")
            + "<tbody>\n" + rows + "</tbody></table>"
    }

    private static func split(_ line: String) -> (String, String) {
        let characters = Array(line)
        var index = 0
        while index + 1 < characters.count {
            if characters[index] == " " && characters[index + 1] == " " {
                let label = String(characters[..<index])
                return (label, String(characters[index...]).trimmingSpaces)
            }
            index += 1
        }
        return (line, "")
    }
}

fileprivate extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
