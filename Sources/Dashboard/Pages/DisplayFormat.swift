/// Display text for the pages (numbers here are for people; the API returns the raw values).
enum DisplayFormat {
    /// `-0.85%` with two decimals; `—` when unknown.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let hundredths = (value * 100).rounded()
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = Int64(abs(hundredths).clamped(to: 0...9e15))
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    /// `0.62` (two decimals); `—` when unknown.
    static func fraction(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return percent(value / 100).dropLast().description
    }

    /// `12 s`, `3 min 4 s`, `2 h 5 min`; `—` when unknown.
    static func age(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "—" }
        let whole = Int64(max(0, seconds).clamped(to: 0...9e15))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    /// CSS class of a signed amount or percentage: `gain`, `loss`, or none.
    static func signClass(_ text: String?) -> String {
        guard let text, !text.isEmpty, text != "—" else { return "" }
        if text.hasPrefix("-") { return "loss" }
        return text.allSatisfy { $0 == "0" || $0 == "." || $0 == "%" } ? "" : "gain"
    }

    static func signClass(_ value: Double?) -> String {
        guard let value, value.isFinite, value != 0 else { return "" }
        return value < 0 ? "loss" : "gain"
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
