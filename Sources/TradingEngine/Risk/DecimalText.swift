/// Plain-decimal text for `Double` statistics in reasons and reports (`0.72`, `-1.25`), without
/// Foundation. Display only: never parsed back into money.
enum DecimalText {
    /// `value` rounded half away from zero to exactly `places` decimals; `nan`/`inf` as such.
    static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if places > 0 {
            var fraction = String(units % Int64(scale))
            while fraction.count < places { fraction = "0" + fraction }
            text += "." + fraction
        }
        return text
    }

    /// A fraction as a percentage with `places` decimals (`0.0123` → `1.23%`).
    static func percent(_ fraction: Double, places: Int = 2) -> String { fixed(fraction * 100, places: places) + "%" }
}
