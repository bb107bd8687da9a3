import CandleData
import TradingModel

/// Turns the archive's CSV rows and the REST answers into the lines of `qt`'s own files.
///
/// Klines, archive and REST alike (12 columns): `open_time, open, high, low, close, volume,
/// close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume, ignore` become
/// `open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume`. Files from
/// before 2022 have no header row, later ones start with
/// `open_time,open,high,…`; a first row whose first field is not a number is taken as that
/// header (and must name `open_time`). Times with 16 digits (microseconds, as Binance's spot
/// archive writes since 2025) are cut to milliseconds. Decimal text is kept as written.
///
/// Funding (`calc_time,funding_interval_hours,last_funding_rate`) becomes
/// `funding_time_ms,funding_rate,mark_price` with an empty mark price (the archive has none; the
/// REST answer's `markPrice` fills it).
enum ArchiveRowConverter {
    /// One converted row: its time (open time or funding time) and the output line.
    struct Row: Sendable, Hashable {
        var time: Int64
        var closeTime: Int64
        var line: String
    }

    /// Converts a kline CSV held in memory; `source` names it in errors (`zip:entry`).
    static func klines(csv: [UInt8], source: String) throws(HistoricalDataError) -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(csv.count / 90)
        var lineNumber = 0
        for rawLine in csv.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            if lineNumber == 1, let first = fields.first?.first, !isDigit(first) {
                guard String(decoding: fields[0], as: UTF8.self) == "open_time" else {
                    throw HistoricalDataError(.badRow, source: "\(source):1", detail: "unknown header '\(String(decoding: line.prefix(80), as: UTF8.self))'")
                }
                continue
            }
            rows.append(try kline(fields.map { String(decoding: $0, as: UTF8.self) }, source: "\(source):\(lineNumber)"))
        }
        return rows
    }

    /// Converts one kline given as its 12 text fields (CSV row or REST array).
    static func kline(_ fields: [String], source: String) throws(HistoricalDataError) -> Row {
        guard fields.count >= 11 else {
            throw HistoricalDataError(.badRow, source: source, detail: "expected 12 fields, found \(fields.count)")
        }
        let openTime = try milliseconds(fields[0], field: "open_time", source: source)
        let closeTime = try milliseconds(fields[6], field: "close_time", source: source)
        for (index, name) in [(1, "open"), (2, "high"), (3, "low"), (4, "close")] {
            guard let value = FixedPoint.parse(utf8: Array(fields[index].utf8)), value > 0 else {
                throw HistoricalDataError(.badRow, source: source, detail: "\(name) '\(fields[index])' is not a positive decimal")
            }
        }
        for (index, name) in [(5, "volume"), (7, "quote_volume"), (9, "taker_buy_volume")] where index == 5 || !fields[index].isEmpty {
            guard let value = FixedPoint.parse(utf8: Array(fields[index].utf8)), value >= 0 else {
                throw HistoricalDataError(.badRow, source: source, detail: "\(name) '\(fields[index])' is not a non-negative decimal")
            }
        }
        if !fields[8].isEmpty {
            guard let trades = Int64(fields[8]), trades >= 0 else {
                throw HistoricalDataError(.badRow, source: source, detail: "count '\(fields[8])' is not a non-negative integer")
            }
        }
        let line = "\(openTime),\(fields[1]),\(fields[2]),\(fields[3]),\(fields[4]),\(fields[5]),\(fields[7]),\(fields[8]),\(fields[9])"
        return Row(time: openTime, closeTime: closeTime, line: line)
    }

    /// Converts a funding CSV (`calc_time,funding_interval_hours,last_funding_rate`).
    static func funding(csv: [UInt8], source: String) throws(HistoricalDataError) -> [Row] {
        var rows: [Row] = []
        var lineNumber = 0
        for rawLine in csv.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if lineNumber == 1, let first = fields.first?.utf8.first, !isDigit(first) {
                guard fields.first == "calc_time" else {
                    throw HistoricalDataError(.badRow, source: "\(source):1", detail: "unknown header '\(fields.joined(separator: ","))'")
                }
                continue
            }
            guard fields.count >= 3 else {
                throw HistoricalDataError(.badRow, source: "\(source):\(lineNumber)", detail: "expected 3 fields, found \(fields.count)")
            }
            rows.append(try fundingRow(time: fields[0], rate: fields[2], markPrice: "", source: "\(source):\(lineNumber)"))
        }
        return rows
    }

    /// One funding row from its text fields; `markPrice` may be empty.
    static func fundingRow(time: String, rate: String, markPrice: String, source: String) throws(HistoricalDataError) -> Row {
        let fundingTime = try milliseconds(time, field: "funding_time", source: source)
        guard let value = FixedPoint.parse(utf8: Array(rate.utf8)), value.magnitude < FixedPoint.scale else {
            throw HistoricalDataError(.badRow, source: source, detail: "funding rate '\(rate)' is not a decimal below 100%")
        }
        if !markPrice.isEmpty {
            guard let mark = FixedPoint.parse(utf8: Array(markPrice.utf8)), mark > 0 else {
                throw HistoricalDataError(.badRow, source: source, detail: "mark price '\(markPrice)' is not a positive decimal")
            }
        }
        return Row(time: fundingTime, closeTime: fundingTime, line: "\(fundingTime),\(rate),\(markPrice)")
    }

    /// A Unix time in milliseconds; 16-digit (microsecond) values are cut to milliseconds.
    static func milliseconds(_ text: String, field: String, source: String) throws(HistoricalDataError) -> Int64 {
        guard let value = Int64(text), value >= 0 else {
            throw HistoricalDataError(.badRow, source: source, detail: "\(field) '\(text)' is not a time in milliseconds")
        }
        return text.utf8.count >= 16 ? value / 1000 : value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
