import CandleData
import Foundation
import Testing
import TradingModel

/// One bad row after a good first row (line 2); the bad row is line 3.
struct BadRow: Sendable, CustomTestStringConvertible {
    let name: String
    let row: String
    let kind: CandleDataError.Kind
    let field: String?
    var testDescription: String { name }
}

@Suite("Candle row validation")
struct CandleRowValidationTests {
    static let good = "1769904000000,9.982,9.990,9.974,9.987,24464.35,244198.04745,782,9388.60"

    static let badRows: [BadRow] = [
        BadRow(name: "high < low", row: "1769904060000,9.98,9.97,9.99,9.98,1,,,", kind: .highBelowLow, field: "high"),
        BadRow(name: "low > open", row: "1769904060000,9.98,9.99,9.985,9.987,1,,,", kind: .lowAboveOpenOrClose, field: "low"),
        BadRow(name: "high < close", row: "1769904060000,9.98,9.985,9.97,9.99,1,,,", kind: .highBelowOpenOrClose, field: "high"),
        BadRow(name: "NaN close", row: "1769904060000,9.98,9.99,9.97,NaN,1,,,", kind: .notFinite, field: "close"),
        BadRow(name: "inf high", row: "1769904060000,9.98,inf,9.97,9.98,1,,,", kind: .notFinite, field: "high"),
        BadRow(name: "-Infinity low", row: "1769904060000,9.98,9.99,-Infinity,9.98,1,,,", kind: .notFinite, field: "low"),
        BadRow(name: "nan volume", row: "1769904060000,9.98,9.99,9.97,9.98,nan,,,", kind: .notFinite, field: "volume"),
        BadRow(name: "text open", row: "1769904060000,abc,9.99,9.97,9.98,1,,,", kind: .unparsable, field: "open"),
        BadRow(name: "empty volume", row: "1769904060000,9.98,9.99,9.97,9.98,,,,", kind: .unparsable, field: "volume"),
        BadRow(name: "zero open", row: "1769904060000,0,9.99,9.97,9.98,1,,,", kind: .nonPositivePrice, field: "open"),
        BadRow(name: "negative low", row: "1769904060000,9.98,9.99,-9.97,9.98,1,,,", kind: .nonPositivePrice, field: "low"),
        BadRow(name: "negative volume", row: "1769904060000,9.98,9.99,9.97,9.98,-1.5,,,", kind: .negativeValue, field: "volume"),
        BadRow(name: "negative quote volume", row: "1769904060000,9.98,9.99,9.97,9.98,1,-2,,", kind: .negativeValue, field: "quote_volume"),
        BadRow(name: "negative trades", row: "1769904060000,9.98,9.99,9.97,9.98,1,,-3,", kind: .negativeValue, field: "trades"),
        BadRow(name: "negative taker volume", row: "1769904060000,9.98,9.99,9.97,9.98,1,,,-0.1", kind: .negativeValue, field: "taker_buy_volume"),
        BadRow(name: "fractional trades", row: "1769904060000,9.98,9.99,9.97,9.98,1,,3.5,", kind: .unparsable, field: "trades"),
        BadRow(name: "duplicate timestamp", row: "1769904000000,9.98,9.99,9.97,9.98,1,,,", kind: .duplicateTimestamp, field: "open_time_ms"),
        BadRow(name: "decreasing time", row: "1769903940000,9.98,9.99,9.97,9.98,1,,,", kind: .timeNotIncreasing, field: "open_time_ms"),
        BadRow(name: "misaligned time", row: "1769904090000,9.98,9.99,9.97,9.98,1,,,", kind: .misalignedTime, field: "open_time_ms"),
        BadRow(name: "time in seconds", row: "1769904060.5,9.98,9.99,9.97,9.98,1,,,", kind: .unparsable, field: "open_time_ms"),
        BadRow(name: "too few fields", row: "1769904060000,9.98,9.99,9.97,9.98,1", kind: .fieldCount, field: nil),
        BadRow(name: "too many fields", row: "1769904060000,9.98,9.99,9.97,9.98,1,,,,", kind: .fieldCount, field: nil),
        BadRow(name: "blank line", row: "", kind: .fieldCount, field: nil),
    ]

    @Test("each violation is a typed error naming file, line 3 and the field", arguments: badRows)
    func badRow(_ bad: BadRow) throws {
        let directory = try FixtureDirectory("row-\(bad.name.replacingOccurrences(of: " ", with: "_"))")
        defer { directory.remove() }
        // A trailing good row proves reading stops at the bad one.
        let path = try directory.writeGzip("LINKUSDT-1m-x.csv.gz", KlineText.file([Self.good, bad.row,
            "1769904180000,9.98,9.99,9.97,9.98,1,,,"]))
        let error = try #require(readError(path))
        #expect(error.kind == bad.kind)
        #expect(error.line == 3)
        #expect(error.field == bad.field)
        #expect(error.file == path)
        let message = error.description
        #expect(message.hasPrefix("\(path):3:"))
        if let field = bad.field { #expect(message.contains("field \(field):")) }
        #expect(!message.contains("\n"))
    }

    @Test("after a violation the reader keeps failing and returns no further rows")
    func failureIsSticky() throws {
        let directory = try FixtureDirectory("sticky")
        defer { directory.remove() }
        let path = try directory.writeGzip("LINKUSDT-1m-x.csv.gz", KlineText.file([
            Self.good, "1769904000000,9.98,9.99,9.97,9.98,1,,,", "1769904120000,9.98,9.99,9.97,9.98,1,,,",
        ]))
        let reader = try CandleReader(path: path)
        #expect(try reader.next() != nil)
        #expect(throws: CandleDataError.self) { try reader.next() }
        let again = #expect(throws: CandleDataError.self) { try reader.next() }
        #expect(again?.kind == .duplicateTimestamp)
        #expect(!reader.report.reachedEnd)
    }

    @Test("nothing is written: the reader never creates or changes files, even on bad input")
    func nothingWritten() throws {
        let directory = try FixtureDirectory("nothing-written")
        defer { directory.remove() }
        let bad = try directory.writeGzip("LINKUSDT-1m-bad.csv.gz", KlineText.file([Self.good, "1769904060000,1,0.5,2,1,1,,,"]))
        let truncated = try directory.writeGzip("LINKUSDT-1m-cut.csv.gz", KlineText.file(KlineText.minuteRows(count: 2000)))
        try directory.truncate(truncated, keeping: 0.4)
        let before = try directory.snapshot()
        #expect(readError(bad) != nil)
        #expect(readError(truncated) != nil)
        #expect(readError(directory.path("MISSINGUSDT-1m-x.csv.gz"))?.kind == .cannotOpen)
        #expect(try directory.snapshot() == before)
    }
}
