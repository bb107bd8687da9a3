import Foundation

/// Number formatting shared by the text and HTML reports.
enum ReportFormatting {
    static func percent(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.\(digits)f%%", value * 100)
    }

    static func number(_ value: Double?, digits: Int = 4) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.\(digits)f", value)
    }

    /// A per-trade return (price-move fraction) as signed percent.
    static func signedPercent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%+.3f%%", value * 100)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
