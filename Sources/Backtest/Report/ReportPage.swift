import Foundation
import TradingEngine
import TradingModel

/// `report.html`: one self-contained page (no network, no library) — summary, price chart with
/// entries, exits coloured by reason and each position's planned stop and target (zoomable to a
/// day), equity and drawdown with a UTC time axis and a value grid, monthly returns, the
/// distributions of trade PnL and holding times, exits by reason, and the sortable trade list.
/// The tables a trader reads first are plain HTML; the charts and the trade list are drawn by
/// `ReportScript` from the run's data embedded as JSON (`ReportData`). Deterministic bytes.
enum ReportPage {
    static func bytes(title: String, summary: BacktestSummary, output: BacktestOutput, prices: [ReportPriceSeries]) -> [UInt8] {
        let samples = output.equityCurve?.samples ?? []
        let reasons = Array(Set(output.trades.map(\.exitReason))).sorted { $0.rawValue < $1.rawValue }
        let summaryRows = summary.lines.map { line -> String in
            let name = String(line.prefix(18)).trimmingCharacters(in: .whitespaces)
            let value = String(line.dropFirst(18))
            return "<tr><th>\(BacktestReport.escape(name))</th><td>\(BacktestReport.escape(value))</td></tr>"
        }.joined(separator: "\n")
        let first = samples.first.map { String($0.time.iso8601.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? ""
        let last = samples.last.map { String($0.time.iso8601.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? ""
        var colours = ReportJSON(capacity: 512)
        colours.raw("{")
        var firstColour = true
        for reason in reasons {
            if !firstColour { colours.raw(",") }
            firstColour = false
            colours.key(reason.rawValue)
            colours.string(ReportTables.colour(reason))
        }
        colours.raw("}")
        let legend = reasons.map { "<span class=\"legend\"><span class=\"swatch\" style=\"background:\(ReportTables.colour($0))\"></span>\($0.rawValue)</span>" }
            .joined(separator: " ")
        let head = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(BacktestReport.escape(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1280px;padding:0 16px;color:#1f2328;background:#f6f8fa}
        h1{font-size:1.35em;margin:0 0 12px}h2{font-size:1.05em;margin:0 0 8px}
        section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:14px 16px;margin:0 0 16px;overflow-x:auto}
        .columns{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}.columns section{margin:0}
        table{border-collapse:collapse;font-size:13px}th{text-align:left;padding:3px 12px 3px 0;font-weight:600}
        td{font-family:ui-monospace,Menlo,Consolas,monospace;padding:3px 10px 3px 0}
        table.grid td,table.grid th{border-bottom:1px solid #eaeef2;padding:4px 8px}table.grid td,table.grid tbody th{white-space:nowrap}table.grid caption{text-align:left;font-weight:600;padding:4px 0}
        table.months td{text-align:right;min-width:56px}table.numeric td{text-align:right}
        canvas{width:100%;display:block;border-radius:4px}
        .toolbar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin:0 0 8px;font-size:13px}
        button,select,input{font:inherit;font-size:13px;padding:2px 8px;border:1px solid #d0d7de;border-radius:4px;background:#f6f8fa;cursor:pointer}
        .note{color:#57606a;font-size:12px;margin:6px 0 0}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;vertical-align:baseline}
        .legend{font-size:12px;margin-right:8px;white-space:nowrap}
        #trades{width:100%}#trades th{cursor:pointer;user-select:none;white-space:nowrap;border-bottom:2px solid #d0d7de;padding:4px 8px}
        #trades td{padding:3px 8px;border-bottom:1px solid #eaeef2;white-space:nowrap}#trades tbody tr{cursor:pointer}#trades tbody tr:hover{background:#f6f8fa}
        th.sorted-asc::after{content:" \\25B2";font-size:10px}th.sorted-desc::after{content:" \\25BC";font-size:10px}
        td.win{color:#1a7f37}td.loss{color:#cf222e}
        </style></head>
        <body>
        <h1>\(BacktestReport.escape(title))</h1>
        <div class="columns">
        <section><h2>Summary</h2><table id="summary">
        \(summaryRows)
        </table><p class="note">\(BacktestReport.escape(first)) – \(BacktestReport.escape(last)) UTC (equity samples)</p></section>
        <section><h2>Exits by reason</h2>
        \(ReportTables.exitReasons(trades: output.trades))
        <p class="note">Exit-engine figures, when the run had the exit engine, follow at the end of the page.</p></section>
        </div>
        <section><h2>Price, entries and exits</h2>
        <div class="toolbar"><select id="price-symbol" aria-label="symbol"></select>
        <button id="zoom-all">all</button><button id="zoom-month">month</button><button id="zoom-week">week</button><button id="zoom-day">day</button>
        <button id="pan-back" aria-label="earlier">◀</button><button id="pan-forward" aria-label="later">▶</button>
        <label>day <input type="date" id="day"></label> <span class="note">wheel: zoom · drag: pan</span></div>
        <canvas id="price-chart" height="380"></canvas>
        <p class="note"><span id="price-window"></span></p>
        <p class="note"><span class="legend">▲ long entry</span><span class="legend">▼ short entry</span> exits: \(legend)</p>
        </section>
        <section><h2>Equity</h2><canvas id="equity-chart" height="240"></canvas></section>
        <section><h2>Drawdown from the running peak</h2><canvas id="drawdown-chart" height="180"></canvas></section>
        <section><h2>Monthly returns (equity, UTC months)</h2>
        \(ReportTables.monthlyReturns(samples: samples, trades: output.trades, initialBalance: summary.initialBalance))
        <p class="note">Hover a month for its net PnL and trade count.</p></section>
        <div class="columns">
        <section><h2>Trade PnL distribution</h2><canvas id="pnl-histogram" height="220"></canvas>
        <p class="note">Net PnL after fees and funding; the outer bars collect the lowest and highest 1%.</p></section>
        <section><h2>Holding time distribution</h2><canvas id="holding-histogram" height="220"></canvas></section>
        </div>
        <section><h2>Trades</h2>
        <div class="toolbar"><button id="page-back" aria-label="previous page">◀</button><button id="page-forward" aria-label="next page">▶</button>
        <span class="note" id="trade-page">\(output.trades.isEmpty ? "no closed trades" : "")</span></div>
        <table id="trades"></table></section>

        """
        var page: [UInt8] = []
        let data = ReportData.json(prices: prices, output: output, reasons: reasons)
        page.reserveCapacity(head.utf8.count + data.count + ReportScript.source.utf8.count + 1024)
        page.append(contentsOf: head.utf8)
        page.append(contentsOf: "<script type=\"application/json\" id=\"report-colours\">".utf8)
        page.append(contentsOf: colours.bytes)
        page.append(contentsOf: "</script>\n<script type=\"application/json\" id=\"report-data\">".utf8)
        page.append(contentsOf: data)
        page.append(contentsOf: "</script>\n<script>\n".utf8)
        page.append(contentsOf: ReportScript.source.utf8)
        page.append(contentsOf: "</script>\n</body></html>\n".utf8)
        return page
    }
}
