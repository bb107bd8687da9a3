/// Self-contained HTML rendering of an `EvaluationReport`, with a reliability diagram and a
/// threshold/expectancy chart as inline SVG (no scripts, no external files).
public enum ReportHTML {
    public static func render(_ report: EvaluationReport) -> String {
        typealias F = ReportFormatting
        let labels = report.plan.labelSettings
        var html = """
        <!doctype html><html><head><meta charset="utf-8"><title>QuantumTrader model report</title>
        <style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}.verdict{font-size:1.2em;padding:1em;
        border:2px solid \(report.edgeFound ? "#2a7" : "#c33");background:\(report.edgeFound ? "#efe" : "#fee")}
        pre{background:#f7f7f7;padding:1em;overflow-x:auto}</style></head><body>
        <h1>Model report</h1>
        <p class="verdict">\(F.escape(report.verdict))</p>
        <p>Every figure on this page is <b>out-of-sample</b>: predictions on walk-forward test windows by models that never trained
        or calibrated on them (purged, with an embargo gap). The threshold was chosen inside each training window, on its calibration
        slice. Returns are per trade after \(F.percent(labels.roundTripFeeRate, digits: 2)) round-trip fees,
        \(F.number(labels.slippageBasisPoints, digits: 1)) bps slippage per fill and funding, as price moves; trades are what one
        position per symbol at a time could take; intervals are 95% day-block bootstrap intervals.</p>
        <h2>The chosen configuration, per fold and pooled</h2>
        """
        html += "<table><tr><th>fold</th><th>threshold</th><th>signals</th><th>trades</th><th>expectancy</th><th>95% low</th><th>95% high</th><th>total</th><th>long n / exp</th><th>short n / exp</th></tr>"
        for fold in report.folds {
            html += "<tr><td>\(fold.index + 1)</td><td>\(F.number(fold.choice.threshold, digits: 2))</td>" + (fold.chosen.map(summaryCells) ?? "<td colspan=8>no trades</td>") + "</tr>"
        }
        html += "<tr><th>pooled</th><td></td>" + summaryCells(report.chosen.summary) + "</tr></table>"
        html += "<h3>Baselines (same windows, same costs, one position at a time)</h3><table><tr><th>baseline</th><th>trades</th><th>expectancy</th><th>95% low</th><th>95% high</th><th>long n / exp</th><th>short n / exp</th></tr>"
        for baseline in report.chosen.baselines {
            let summary = baseline.summary
            html += "<tr><td>\(baseline.name)</td><td>\(baseline.random.map { F.number($0.meanTrades, digits: 1) } ?? String(summary.trades))</td>"
            html += "<td>\(F.signedPercent(baseline.comparableExpectancy))</td><td>\(F.signedPercent(baseline.random?.lower ?? summary.interval?.lower))</td>"
            html += "<td>\(F.signedPercent(baseline.random?.upper ?? summary.interval?.upper))</td>"
            html += "<td>\(summary.long.trades) / \(F.signedPercent(summary.long.expectancy))</td><td>\(summary.short.trades) / \(F.signedPercent(summary.short.expectancy))</td></tr>"
        }
        html += "</table>"
        let models = ReportText.modelComparison(report)
        if !models.isEmpty { html += "<h2>Each model alone and the ensemble, after fees</h2><pre>\(F.escape(models.joined(separator: "\n")))</pre>" }
        html += "<h2>Multiple testing</h2><pre>\(F.escape(ReportText.multipleTesting(report).joined(separator: "\n")))</pre>"
        html += "<h2>Every threshold, pooled (information only: choosing from it is choosing on the test data)</h2>"
        html += thresholdTable(report.pooled.ensemble.thresholds)
        html += "<h3>Threshold / expectancy</h3>" + expectancyChart(report.pooled.ensemble.thresholds, baselines: report.chosen.baselines)
        html += "<h2>Reliability (per class and for the traded side, 95% intervals per bin)</h2>"
        for diagram in report.reliability {
            html += "<h3>\(diagram.name == "traded" ? "traded side" : "P(\(diagram.name))"): ECE \(F.number(diagram.expectedCalibrationError))</h3>"
                + reliabilityChart(diagram.bins)
        }
        html += "<h2>Everything</h2><pre>\(F.escape(ReportText.lines(report).joined(separator: "\n")))</pre></body></html>\n"
        return html
    }

    static func summaryCells(_ summary: TradeSummary) -> String {
        typealias F = ReportFormatting
        return "<td>\(summary.signals)</td><td>\(summary.trades)</td><td>\(F.signedPercent(summary.expectancy))</td>"
            + "<td>\(F.signedPercent(summary.interval?.lower))</td><td>\(F.signedPercent(summary.interval?.upper))</td>"
            + "<td>\(F.signedPercent(summary.totalReturn))</td><td>\(summary.long.trades) / \(F.signedPercent(summary.long.expectancy))</td>"
            + "<td>\(summary.short.trades) / \(F.signedPercent(summary.short.expectancy))</td>"
    }

    static func thresholdTable(_ rows: [ThresholdRow]) -> String {
        typealias F = ReportFormatting
        var html = "<table><tr><th>threshold</th><th>coverage</th><th>signals</th><th>trades</th><th>expectancy</th><th>95% low</th><th>95% high</th><th>total</th><th>long n / exp</th><th>short n / exp</th><th>p</th><th>Holm p</th></tr>"
        for row in rows {
            html += "<tr><td>\(F.number(row.threshold, digits: 2))</td><td>\(F.percent(row.summary.coverage))</td>" + summaryCells(row.summary)
                + "<td>\(F.number(row.summary.interval?.pValue, digits: 3))</td><td>\(F.number(row.holmPValue, digits: 3))</td></tr>"
        }
        return html + "</table>"
    }

    /// Expectancy per trade (bars) by threshold, with zero and the best baseline as lines.
    static func expectancyChart(_ rows: [ThresholdRow], baselines: [BaselineEvaluation]) -> String {
        let width = 640.0, height = 260.0, left = 60.0, bottom = 30.0, top = 10.0
        let values: [Double] = rows.compactMap(\.expectancy) + baselines.compactMap(\.comparableExpectancy) + [0]
        let low = min(values.min() ?? -0.01, -0.001), high = max(values.max() ?? 0.01, 0.001)
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * (height - top - bottom) }
        let barWidth = (width - left - 10) / Double(max(rows.count, 1))
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">"
        svg += "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(y(0))\" y2=\"\(y(0))\" stroke=\"#000\"/>"
        svg += "<text x=\"4\" y=\"\(y(high) + 10)\">\(ReportFormatting.signedPercent(high))</text><text x=\"4\" y=\"\(y(low))\">\(ReportFormatting.signedPercent(low))</text>"
        for (index, row) in rows.enumerated() {
            let x = left + Double(index) * barWidth
            if let expectancy = row.expectancy {
                let top = min(y(expectancy), y(0)), barHeight = abs(y(expectancy) - y(0))
                svg += "<rect x=\"\(x + 4)\" y=\"\(top)\" width=\"\(barWidth - 8)\" height=\"\(max(barHeight, 1))\" fill=\"\(expectancy > 0 ? "#2a7" : "#c33")\">"
                    + "<title>\(row.trades) trades</title></rect>"
            }
            svg += "<text x=\"\(x + barWidth / 2 - 10)\" y=\"\(height - 12)\">\(ReportFormatting.number(row.threshold, digits: 2))</text>"
        }
        if let best = baselines.compactMap(\.comparableExpectancy).max() {
            svg += "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(y(best))\" y2=\"\(y(best))\" stroke=\"#36c\" stroke-dasharray=\"4 3\"/>"
                + "<text x=\"\(width - 200)\" y=\"\(y(best) - 4)\" fill=\"#36c\">best baseline \(ReportFormatting.signedPercent(best))</text>"
        }
        return svg + "</svg><p>Bars: ensemble expectancy per trade after fees at each confidence threshold (empty = no trades).</p>"
    }

    /// Observed frequency against mean confidence per bin; the diagonal is perfect calibration.
    static func reliabilityChart(_ bins: [ReliabilityBin]) -> String {
        let size = 300.0, margin = 30.0
        func point(_ x: Double, _ y: Double) -> String { "\(margin + x * (size - 2 * margin)),\(size - margin - y * (size - 2 * margin))" }
        var svg = "<svg width=\"\(Int(size))\" height=\"\(Int(size))\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">"
        svg += "<rect x=\"\(margin)\" y=\"\(margin)\" width=\"\(size - 2 * margin)\" height=\"\(size - 2 * margin)\" fill=\"none\" stroke=\"#999\"/>"
        svg += "<polyline points=\"\(point(0, 0)) \(point(1, 1))\" stroke=\"#999\" stroke-dasharray=\"4 3\" fill=\"none\"/>"
        svg += "<polyline points=\"\(bins.map { point($0.meanConfidence, $0.observedFrequency) }.joined(separator: " "))\" stroke=\"#36c\" fill=\"none\"/>"
        for bin in bins {
            let coordinates = point(bin.meanConfidence, bin.observedFrequency).split(separator: ",")
            svg += "<circle cx=\"\(coordinates[0])\" cy=\"\(coordinates[1])\" r=\"3\" fill=\"#36c\"><title>\(bin.samples) samples</title></circle>"
        }
        svg += "<text x=\"\(margin)\" y=\"\(size - 8)\">confidence 0 → 1</text><text x=\"2\" y=\"\(margin - 8)\">observed</text>"
        return svg + "</svg>"
    }
}
