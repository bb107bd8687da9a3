import CandleData
import Foundation
import Testing
import TradingModel

@Suite("FundingRateReader")
struct FundingRateReaderTests {
    static let header = "funding_time_ms,funding_rate,mark_price"

    @Test("funding file parses, empty mark price is nil")
    func parses() throws {
        let directory = try FixtureDirectory("funding-ok")
        defer { directory.remove() }
        let path = try directory.writeGzip("XRPUSDT-funding-x.csv.gz",
            [Self.header, "1637193600017,0.0001,", "1637222400007,-0.00219334,1.0523"].map { $0 + "\n" }.joined())
        let (rates, report) = try FundingRateReader.readAll(path: path)
        try #require(rates.count == 2)
        #expect(rates[0].fundingTime.milliseconds == 1_637_193_600_017)
        #expect(rates[0].rate.raw == 10_000)          // 0.0001 × 10^8
        #expect(rates[0].markPrice == nil)
        #expect(rates[1].rate.raw == -219_334)        // -0.00219334 × 10^8
        #expect(rates[1].markPrice?.raw == 105_230_000) // 1.0523 × 10^8
        #expect(report.symbol == "XRPUSDT")
        #expect(report.rowCount == 2 && report.reachedEnd)
        #expect(report.lowestRate == Rate("-0.00219334") && report.highestRate == Rate("0.0001"))
    }

    @Test("bad funding rows are typed errors naming line and field", arguments: [
        ("1637222400007,abc,", CandleDataError.Kind.unparsable, "funding_rate"),
        ("1637222400007,NaN,", .notFinite, "funding_rate"),
        ("1637222400007,,", .unparsable, "funding_rate"),
        ("1637222400007,1.5,", .rateOutOfRange, "funding_rate"),
        ("1637222400007,0.0001,-3", .nonPositivePrice, "mark_price"),
        ("1637193600017,0.0001,", .duplicateTimestamp, "funding_time_ms"),
        ("1637193500000,0.0001,", .timeNotIncreasing, "funding_time_ms"),
    ])
    func badRate(row: String, kind: CandleDataError.Kind, field: String) throws {
        let directory = try FixtureDirectory("funding-bad-\(kind.rawValue)-\(row.count)")
        defer { directory.remove() }
        let path = try directory.writeGzip("XRPUSDT-funding-x.csv.gz",
            [Self.header, "1637193600017,0.0001,", row].map { $0 + "\n" }.joined())
        do {
            _ = try FundingRateReader.readAll(path: path)
            Issue.record("expected \(kind)")
        } catch {
            #expect(error.kind == kind)
            #expect(error.line == 3)
            #expect(error.field == field)
        }
    }

    @Test("a kline header is not a funding header")
    func wrongHeader() throws {
        let directory = try FixtureDirectory("funding-header")
        defer { directory.remove() }
        let path = try directory.writeGzip("XRPUSDT-funding-x.csv.gz", KlineText.file(KlineText.minuteRows(count: 1)))
        #expect(throws: CandleDataError(.wrongHeader, file: path, line: 1,
            detail: "expected '\(Self.header)', found '\(KlineText.header)'")) {
            _ = try FundingRateReader.readAll(path: path)
        }
    }
}

@Suite("DataFileName and CandleInterval")
struct DataFileNameTests {
    @Test func klineName() {
        let name = DataFileName(path: "data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz")
        #expect(name.symbol == "LINKUSDT")
        #expect(name.interval == .oneMinute)
        #expect(!name.isFunding)
    }

    @Test func fundingAndOtherNames() {
        let funding = DataFileName(path: "/x/XRPUSDT-funding-2021-11-18_2021-12-18.csv.gz")
        #expect(funding.symbol == "XRPUSDT" && funding.isFunding && funding.interval == nil)
        #expect(DataFileName(path: "ATOMUSDT-1h.csv").interval == .oneHour)
        #expect(DataFileName(path: "klines.csv.gz").symbol == nil)
        #expect(DataFileName(path: "linkusdt-1m-x.csv").symbol == nil)
    }

    @Test func intervalLabels() {
        #expect(CandleInterval(label: "5m")?.milliseconds == 300_000)
        #expect(CandleInterval(label: "4h")?.milliseconds == 14_400_000)
        #expect(CandleInterval(label: "1d")?.label == "1d")
        #expect(CandleInterval(label: "1M") == nil)
        #expect(CandleInterval(label: "m") == nil)
        #expect(CandleInterval(label: "0m") == nil)
        #expect(CandleInterval(milliseconds: 1500)?.label == "1500ms")
    }
}
