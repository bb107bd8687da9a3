import Foundation

/// The report of a finished sweep: units ranked by the manifest's metric, a heatmap of the
/// metric over two grid settings per dataset with the best cell marked, and the
/// multiple-testing caveat with the figure a best-of-N would reach on noise alone.
public struct SweepReport: Sendable {
    public let manifest: SweepManifest
    /// Every unit's result, in unit order.
    public let results: [SweepUnitResult]

    public init(manifest: SweepManifest, results: [SweepUnitResult]) {
        self.manifest = manifest
        self.results = results.sorted { $0.unit.id < $1.unit.id }
    }

    /// One heatmap: metric by (y value, x value) for one dataset; cells averaged over any other
    /// grid settings.
    public struct Heatmap: Sendable {
        public var dataset: String
        public var xKey: String
        public var yKey: String
        public var xValues: [String]
        public var yValues: [String]
        /// `cells[y][x]`, nil where every unit failed.
        public var cells: [[Double?]]
        public var best: (x: Int, y: Int)?
    }

    /// Succeeded units ordered best first by the metric.
    public var ranked: [SweepUnitResult] {
        let metric = manifest.metric
        return results.filter { $0.number(metric.rawValue) != nil }.sorted { left, right in
            let a = left.number(metric.rawValue) ?? 0, b = right.number(metric.rawValue) ?? 0
            if a != b { return metric.higherIsBetter ? a > b : a < b }
            return left.unit.id < right.unit.id
        }
    }

    public var heatmaps: [Heatmap] {
        guard let axes = manifest.heatmapAxes,
              let xValues = manifest.grid.first(where: { $0.key == axes.x })?.values,
              let yValues = manifest.grid.first(where: { $0.key == axes.y })?.values
        else { return [] }
        let metric = manifest.metric
        return manifest.datasets.map { dataset in
            var cells: [[Double?]] = Array(repeating: Array(repeating: nil, count: xValues.count), count: yValues.count)
            var best: (x: Int, y: Int)?
            for (yIndex, y) in yValues.enumerated() {
                for (xIndex, x) in xValues.enumerated() {
                    let values = results.filter { result in
                        result.unit.dataset == dataset.label
                            && result.unit.parameters.contains(.init(key: axes.x, literal: x))
                            && result.unit.parameters.contains(.init(key: axes.y, literal: y))
                    }.compactMap { $0.number(metric.rawValue) }
                    guard !values.isEmpty else { continue }
                    let mean = values.reduce(0, +) / Double(values.count)
                    cells[yIndex][xIndex] = mean
                    if let current = best, let bestValue = cells[current.y][current.x] {
                        if metric.higherIsBetter ? mean > bestValue : mean < bestValue { best = (xIndex, yIndex) }
                    } else {
                        best = (xIndex, yIndex)
                    }
                }
            }
            return Heatmap(dataset: dataset.label, xKey: axes.x, yKey: axes.y, xValues: xValues, yValues: yValues, cells: cells, best: best)
        }
    }

    /// The multiple-testing caveat for one dataset: how many cells were tried, and where the
    /// best of that many would land if every cell were noise around the same mean.
    public func caveat(dataset: String) -> String {
        let metric = manifest.metric
        let values = results.filter { $0.unit.dataset == dataset }.compactMap { $0.number(metric.rawValue) }
        let count = values.count
        guard count >= 2 else { return "only \(count) unit succeeded on \(dataset): nothing to compare" }
        let mean = values.reduce(0, +) / Double(count)
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count - 1)).squareRoot()
        let z = Self.expectedMaximumOfNormals(count)
        let noiseBest = metric.higherIsBetter ? mean + deviation * z : mean - deviation * z
        let best = metric.higherIsBetter ? values.max() ?? mean : values.min() ?? mean
        return "\(count) settings were tried on \(dataset): the best \(metric.rawValue) (\(Self.format(best))) is the "
            + "extreme of \(count) noisy estimates and overstates what that setting will earn (multiple testing; "
            + "neighbouring settings share trades, so the trials are not independent). If all \(count) were noise "
            + "around their mean \(Self.format(mean)) (sd \(Self.format(deviation))), the best would be expected near "
            + "\(Self.format(noiseBest)). Confirm a chosen cell on a period this sweep did not use before trusting it."
    }

    // MARK: Rendering

    /// The report as terminal lines.
    public var lines: [String] {
        let metric = manifest.metric.rawValue
        var lines: [String] = []
        let failed = results.filter { !$0.succeeded }
        lines.append("sweep \(manifest.name): \(results.count) units, \(results.count - failed.count) succeeded, \(failed.count) failed; ranked by \(metric)")
        lines.append("")
        let header = ["rank", "unit", "dataset", "parameters", "trades", "net_pnl", "profit_factor", "win_rate_pct", "max_drawdown_pct"]
        var rows: [[String]] = [header]
        for (index, result) in ranked.enumerated() {
            rows.append([String(index + 1), result.unit.id, result.unit.dataset,
                         result.unit.parameters.map { "\(Self.shortKey($0.key))=\($0.literal)" }.joined(separator: " "),
                         result.number("trades").map { String(Int($0)) } ?? "-",
                         result.number("net_pnl").map { Self.format($0) } ?? "-",
                         result.number("profit_factor").map { Self.format($0) } ?? "-",
                         result.number("win_rate_pct").map { Self.format($0) } ?? "-",
                         result.number("max_drawdown_pct").map { Self.format($0) } ?? "-"])
        }
        lines += Self.table(rows, leftAligned: [1, 2, 3])
        for result in failed {
            if case .failed(let reason) = result.outcome { lines.append("failed \(result.unit.id) (\(result.unit.dataset)): \(reason)") }
        }
        for map in heatmaps {
            lines.append("")
            lines.append("\(metric) on \(map.dataset): \(map.yKey) (rows) × \(map.xKey) (columns); * = best cell")
            var grid: [[String]] = [[""] + map.xValues]
            for (yIndex, y) in map.yValues.enumerated() {
                grid.append([y] + map.xValues.indices.map { xIndex in
                    guard let value = map.cells[yIndex][xIndex] else { return "-" }
                    let marked = map.best.map { $0.x == xIndex && $0.y == yIndex } ?? false
                    return Self.format(value) + (marked ? "*" : "")
                })
            }
            lines += Self.table(grid)
        }
        for dataset in manifest.datasets {
            lines.append("")
            lines.append("caveat: " + caveat(dataset: dataset.label))
        }
        return lines
    }

    /// `results.csv`: one row per unit with its settings and figures.
    public var csv: String {
        let keys = manifest.grid.map(\.key)
        let fields = ["trades", "net_pnl", "profit_factor", "win_rate_pct", "max_drawdown_pct", "final_equity", "fees"]
        var text = (["unit", "dataset"] + keys + fields + ["error"]).joined(separator: ",") + "\n"
        for result in results {
            var row = [result.unit.id, result.unit.dataset]
            for key in keys { row.append(result.unit.parameters.first { $0.key == key }?.literal.replacingOccurrences(of: ",", with: ";") ?? "") }
            for field in fields { row.append(result.number(field).map { String($0) } ?? "") }
            if case .failed(let reason) = result.outcome { row.append("\"" + reason.replacingOccurrences(of: "\"", with: "'") + "\"") } else { row.append("") }
            text += row.joined(separator: ",") + "\n"
        }
        return text
    }

    /// `report.html`: the ranked table, a coloured heatmap per dataset and the caveat.
    public var html: String {
        let metric = manifest.metric.rawValue
        var body = "<h1>Sweep \(Self.escape(manifest.name))</h1>\n<p>ranked by \(metric); \(results.count) units</p>\n"
        for map in heatmaps {
            let values = map.cells.flatMap { $0 }.compactMap { $0 }
            let low = values.min() ?? 0, high = values.max() ?? 0
            body += "<h2>\(metric) on \(Self.escape(map.dataset))</h2>\n<table class=\"heat\"><tr><th>\(Self.escape(map.yKey)) \\ \(Self.escape(map.xKey))</th>"
            body += map.xValues.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>\n"
            for (yIndex, y) in map.yValues.enumerated() {
                body += "<tr><th>\(Self.escape(y))</th>"
                for xIndex in map.xValues.indices {
                    guard let value = map.cells[yIndex][xIndex] else { body += "<td>-</td>"; continue }
                    var share = high > low ? (value - low) / (high - low) : 0.5
                    if !manifest.metric.higherIsBetter { share = 1 - share }
                    let red = Int(230 - 120 * share), green = Int(110 + 120 * share)
                    let marked = map.best.map { $0.x == xIndex && $0.y == yIndex } ?? false
                    body += "<td style=\"background:rgb(\(red),\(green),120)\">\(Self.format(value))\(marked ? " <b>*</b>" : "")</td>"
                }
                body += "</tr>\n"
            }
            body += "</table>\n<p class=\"caveat\">\(Self.escape(caveat(dataset: map.dataset)))</p>\n"
        }
        body += "<h2>Units</h2>\n<pre>" + Self.escape(lines.joined(separator: "\n")) + "</pre>\n"
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>Sweep \(Self.escape(manifest.name))</title>
        <style>body{font-family:sans-serif;margin:2em}table.heat td,table.heat th{padding:4px 8px;text-align:right;border:1px solid #ccc}
        .caveat{max-width:60em;color:#700}</style></head><body>
        \(body)</body></html>
        """
    }

    // MARK: Helpers

    /// E[max of n standard normals], Blom's approximation Φ⁻¹((n − 0.375) / (n + 0.25)).
    static func expectedMaximumOfNormals(_ n: Int) -> Double {
        guard n > 1 else { return 0 }
        return inverseNormal((Double(n) - 0.375) / (Double(n) + 0.25))
    }

    /// Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.2e-9), 0 < p < 1.
    static func inverseNormal(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -inverseNormal(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return String(format: abs(value) >= 100 ? "%.1f" : "%.3f", value)
    }

    private static func shortKey(_ key: String) -> String { key.split(separator: ".").last.map(String.init) ?? key }

    private static func table(_ rows: [[String]], leftAligned: Set<Int> = [0]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                leftAligned.contains(index) ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
