import CandleData
import Foundation
import TradingModel

/// Text and JSON renderings of data-file reports for `qt data inspect`.
enum DataInspectFormatter {
    static func text(_ report: CandleFileReport, maxGaps: Int) -> [String] {
        var lines = [DisplayText.escaped(report.path)]
        let interval = report.interval.map { "\($0.label) (\(report.intervalSource.rawValue))" } ?? "unknown"
        lines.append("  symbol: \(report.symbol?.name ?? "unknown")  interval: \(interval)  rows: \(report.rowCount)")
        lines.append("  first bar: \(report.firstOpenTime?.iso8601 ?? "-")  last bar: \(report.lastOpenTime?.iso8601 ?? "-")")
        var gapLine = "  gaps: \(report.gaps.count) (\(report.missingBarCount) missing bars)"
        for gap in report.gaps.prefix(maxGaps) {
            gapLine += "\n    \(gap.firstMissingOpenTime.iso8601) .. \(gap.lastMissingOpenTime.iso8601) (\(gap.missingBarCount))"
        }
        if report.gaps.count > maxGaps { gapLine += "\n    ... \(report.gaps.count - maxGaps) more" }
        lines.append(gapLine)
        lines.append("  price range: \(report.lowestLow?.description ?? "-") .. \(report.highestHigh?.description ?? "-")  volume total: \(report.totalVolumeText)")
        lines.append("  validation: OK")
        return lines
    }

    static func text(_ report: FundingFileReport) -> [String] {
        [
            DisplayText.escaped(report.path),
            "  symbol: \(report.symbol?.name ?? "unknown")  kind: funding  rows: \(report.rowCount)",
            "  first: \(report.firstFundingTime?.iso8601 ?? "-")  last: \(report.lastFundingTime?.iso8601 ?? "-")",
            "  rate range: \(report.lowestRate?.description ?? "-") .. \(report.highestRate?.description ?? "-")",
            "  validation: OK",
        ]
    }

    static func json(_ report: CandleFileReport, maxGaps: Int) -> String {
        let gaps: [[String: Any]] = report.gaps.prefix(maxGaps).map {
            ["first_missing": $0.firstMissingOpenTime.iso8601, "last_missing": $0.lastMissingOpenTime.iso8601,
             "missing_bars": $0.missingBarCount]
        }
        let object: [String: Any] = [
            "file": report.path, "kind": "klines", "valid": true,
            "symbol": report.symbol?.name ?? NSNull(),
            "interval": report.interval?.label ?? NSNull(), "interval_source": report.intervalSource.rawValue,
            "rows": report.rowCount,
            "first_bar": report.firstOpenTime?.iso8601 ?? NSNull(), "last_bar": report.lastOpenTime?.iso8601 ?? NSNull(),
            "gap_count": report.gaps.count, "missing_bars": report.missingBarCount, "gaps": gaps,
            "min_low": report.lowestLow?.description ?? NSNull(), "max_high": report.highestHigh?.description ?? NSNull(),
            "volume_total": report.totalVolumeText,
        ]
        return encode(object)
    }

    static func json(_ report: FundingFileReport) -> String {
        let object: [String: Any] = [
            "file": report.path, "kind": "funding", "valid": true,
            "symbol": report.symbol?.name ?? NSNull(), "rows": report.rowCount,
            "first": report.firstFundingTime?.iso8601 ?? NSNull(), "last": report.lastFundingTime?.iso8601 ?? NSNull(),
            "min_rate": report.lowestRate?.description ?? NSNull(), "max_rate": report.highestRate?.description ?? NSNull(),
        ]
        return encode(object)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    private static func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
