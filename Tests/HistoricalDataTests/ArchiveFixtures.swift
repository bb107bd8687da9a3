import CandleData
import Foundation
@testable import HistoricalData
import ZipArchive
import TradingModel

/// Archive files as Binance publishes them, built for the fake server: a zip holding one CSV
/// with the 12 kline columns (a header row from 2022 on, none before) or the 3 funding columns.
enum ArchiveFixtures {
    static let klineHeader = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore"

    /// Deterministic prices for a bar (always valid: low ≤ open, close ≤ high).
    static func prices(openTime: Int64) -> (String, String, String, String) {
        // In units of 0.0001: 10.0000 + minute-of-run / 100.
        let base = 100_000 + ((openTime / 60_000) % 1000) * 100
        return (decimal(base), decimal(base + 500), decimal(base - 500), decimal(base + 100))
    }

    /// `value` × 0.0001 as text with four decimals.
    private static func decimal(_ value: Int64) -> String {
        let fraction = String(value % 10_000)
        return "\(value / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// CSV text of the bars with open times in `[start, end)`, minus `skipping`.
    static func klineCSV(start: Int64, end: Int64, interval: Int64 = 60_000, header: Bool, skipping: Set<Int64> = []) -> String {
        var lines: [String] = header ? [klineHeader] : []
        var time = start
        while time < end {
            if !skipping.contains(time) {
                let (open, high, low, close) = prices(openTime: time)
                lines.append("\(time),\(open),\(high),\(low),\(close),12.5,\(time + interval - 1),125.0,7,6.25,62.5,0")
            }
            time += interval
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A zip holding one entry, as the archive's files do.
    static func zip(entry: String, text: String) throws -> [UInt8] {
        var writer = ZipArchiveWriter()
        try writer.add(name: entry, bytes: Array(text.utf8))
        return writer.finish()
    }

    /// The archive path and zip of a month of 1m klines.
    static func monthlyKlines(symbol: String, month: CalendarMonth, interval: String = "1m", skipping: Set<Int64> = []) throws -> (String, [UInt8]) {
        let layout = ArchiveLayout(baseURL: "")
        let path = "/" + layout.path(symbol: .init(symbol)!, dataset: .klines(.init(label: interval)!), period: .month(month))
        let csv = klineCSV(start: month.firstDay.startMilliseconds, end: month.next.firstDay.startMilliseconds,
                           interval: CandleInterval(label: interval)!.milliseconds, header: month.year >= 2022, skipping: skipping)
        return (path, try zip(entry: "\(symbol)-\(interval)-\(month).csv", text: csv))
    }

    /// The archive path and zip of one day of 1m klines.
    static func dailyKlines(symbol: String, day: CalendarDay) throws -> (String, [UInt8]) {
        let layout = ArchiveLayout(baseURL: "")
        let path = "/" + layout.path(symbol: .init(symbol)!, dataset: .klines(.oneMinute), period: .day(day))
        let csv = klineCSV(start: day.startMilliseconds, end: day.endMilliseconds, header: true)
        return (path, try zip(entry: "\(symbol)-1m-\(day).csv", text: csv))
    }

    /// The archive path and zip of a month of funding rates (every 8 h, with Binance's ms jitter).
    static func monthlyFunding(symbol: String, month: CalendarMonth) throws -> (String, [UInt8]) {
        let layout = ArchiveLayout(baseURL: "")
        let path = "/" + layout.path(symbol: .init(symbol)!, dataset: .fundingRate, period: .month(month))
        var lines = ["calc_time,funding_interval_hours,last_funding_rate"]
        var time = month.firstDay.startMilliseconds
        while time < month.next.firstDay.startMilliseconds {
            lines.append("\(time + 7),8,0.00010000")
            time += 8 * 3_600_000
        }
        return (path, try zip(entry: "\(symbol)-fundingRate-\(month).csv", text: lines.joined(separator: "\n") + "\n"))
    }
}
