/// The equity and drawdown chart as inline SVG (no script, no external resource): equity as a
/// line in the upper band, drawdown as an area below zero in the lower band, with the extremes
/// labelled. Built only from numbers and escaped text.
enum EquityChart {
    static let width = 720.0
    static let height = 220.0

    static func svg(_ points: [EquityPoint]) -> String {
        let samples = points.compactMap { point -> (x: Double, equity: Double, drawdown: Double)? in
            guard let equity = Double(point.equity), let drawdown = Double(point.drawdown), equity.isFinite, drawdown.isFinite else { return nil }
            return (Double(point.timeMilliseconds), equity, drawdown)
        }
        guard samples.count >= 2, let first = samples.first, let last = samples.last, last.x > first.x else {
            return "<p id=\"equity-empty\">Not enough equity samples for a chart yet.</p>"
        }
        let equityBand = (top: 10.0, bottom: 140.0)
        let drawdownBand = (top: 155.0, bottom: 210.0)
        let low = samples.map(\.equity).min() ?? 0
        let high = samples.map(\.equity).max() ?? 0
        let deepest = samples.map(\.drawdown).min() ?? 0
        let span = max(high - low, 1e-9)
        func x(_ value: Double) -> Double { 50 + (value - first.x) / (last.x - first.x) * (width - 60) }
        func equityY(_ value: Double) -> Double { equityBand.bottom - (value - low) / span * (equityBand.bottom - equityBand.top) }
        func drawdownY(_ value: Double) -> Double {
            deepest < 0 ? drawdownBand.top + value / deepest * (drawdownBand.bottom - drawdownBand.top) : drawdownBand.top
        }
        let line = samples.map { "\(format(x($0.x))),\(format(equityY($0.equity)))" }.joined(separator: " ")
        let area = "\(format(x(first.x))),\(format(drawdownBand.top)) "
            + samples.map { "\(format(x($0.x))),\(format(drawdownY($0.drawdown)))" }.joined(separator: " ")
            + " \(format(x(last.x))),\(format(drawdownBand.top))"
        return """
        <svg id="equity-chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Equity and drawdown">
        <line x1="50" y1="\(format(equityBand.bottom))" x2="\(Int(width - 10))" y2="\(format(equityBand.bottom))" stroke="#d0d4da"/>
        <line x1="50" y1="\(format(drawdownBand.top))" x2="\(Int(width - 10))" y2="\(format(drawdownBand.top))" stroke="#d0d4da"/>
        <polyline fill="none" stroke="#1f5fbf" stroke-width="2" points="\(line)"/>
        <polygon fill="#e08080" stroke="#a40000" stroke-width="1" points="\(area)"/>
        <text x="4" y="\(format(equityBand.top + 8))" font-size="10">\(escape(short(high)))</text>
        <text x="4" y="\(format(equityBand.bottom))" font-size="10">\(escape(short(low)))</text>
        <text x="4" y="\(format(drawdownBand.bottom))" font-size="10">\(escape(short(deepest)))</text>
        <text x="52" y="\(format(drawdownBand.top - 3))" font-size="10">drawdown</text>
        </svg>
        """
    }

    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return String(Int64(tenths.clamped(to: -1e12...1e12)) / 10) + "." + String(abs(Int64(tenths.clamped(to: -1e12...1e12))) % 10)
    }

    static func short(_ value: Double) -> String {
        let cents = (value * 100).rounded().clamped(to: -1e15...1e15)
        let sign = cents < 0 ? "-" : ""
        let magnitude = Int64(abs(cents))
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
