import CandleData
import Foundation
import Testing
import TradingModel

/// Reads `path` to the end and returns the error thrown, or nil when the file was valid.
func readError(_ path: String) -> CandleDataError? {
    do {
        _ = try CandleReader.readAll(path: path)
        return nil
    } catch {
        return error
    }
}

@Suite("CandleReader")
struct CandleReaderTests {
    static let fileName = "LINKUSDT-1m-2026-02-01_2026-02-01.csv.gz"

    @Test("valid gzip file round trip with hand-checked values")
    func validRoundTrip() throws {
        let directory = try FixtureDirectory("valid")
        defer { directory.remove() }
        let path = try directory.writeGzip(Self.fileName, KlineText.file([
            "1769904000000,9.982,9.990,9.974,9.987,24464.35,244198.04745,782,9388.60",
            "1769904060000,9.986,9.986,9.972,9.976,11394.34,113691.69260,541,6072.95",
            "1769904120000,9.976,9.981,9.970,9.980,5000,49900.5,100,2500.5",
        ]))
        let series = try CandleReader.readAll(path: path)
        try #require(series.candles.count == 3)
        let first = series.candles[0]
        // 1769904000000 ms = 20484 days × 86400000 → 2026-02-01 00:00 UTC.
        #expect(first.openTime.iso8601 == "2026-02-01T00:00:00.000Z")
        // Raw units are value × 10^8: 9.982 → 998_200_000.
        #expect(first.open.raw == 998_200_000)
        #expect(first.high.raw == 999_000_000)
        #expect(first.low.raw == 997_400_000)
        #expect(first.close.raw == 998_700_000)
        #expect(first.volume.raw == 2_446_435_000_000)        // 24464.35 × 10^8
        #expect(first.quoteVolume?.raw == 24_419_804_745_000) // 244198.04745 × 10^8
        #expect(first.tradeCount == 782)
        #expect(first.takerBuyVolume?.raw == 938_860_000_000) // 9388.60 × 10^8
        #expect(series.candles[2].volume == Quantity(units: 5000))
        #expect(series.candles[2].openTime.milliseconds == 1_769_904_120_000)

        let report = series.report
        #expect(report.reachedEnd)
        #expect(report.symbol == "LINKUSDT")
        #expect(report.interval == .oneMinute)
        #expect(report.intervalSource == .fileName)
        #expect(report.rowCount == 3)
        #expect(report.gaps.isEmpty)
        #expect(report.firstOpenTime?.milliseconds == 1_769_904_000_000)
        #expect(report.lastOpenTime?.milliseconds == 1_769_904_120_000)
        #expect(report.lowestLow == Price("9.970"))   // min(9.974, 9.972, 9.970)
        #expect(report.highestHigh == Price("9.990")) // max(9.990, 9.986, 9.981)
        // 24464.35 + 11394.34 + 5000 = 40858.69
        #expect(report.totalVolumeText == "40858.69")
    }

    @Test("plain CSV (by content), CRLF line ends and a missing final newline read the same")
    func plainText() throws {
        let directory = try FixtureDirectory("plain")
        defer { directory.remove() }
        let text = KlineText.header + "\r\n1769904000000,9.982,9.990,9.974,9.987,24464.35,,,\r\n"
            + "1769904060000,9.986,9.986,9.972,9.976,11394.34,,,"
        let path = try directory.writePlain("LINKUSDT-1m-x.csv", text)
        let series = try CandleReader.readAll(path: path)
        #expect(series.candles.map(\.close) == [Price("9.987")!, Price("9.976")!])
        #expect(series.report.rowCount == 2)
    }

    @Test("empty optional columns become nil")
    func emptyOptionalColumns() throws {
        let directory = try FixtureDirectory("optional")
        defer { directory.remove() }
        let path = try directory.writeGzip("BTCUSDT-1h-x.csv.gz", KlineText.file([
            "1653465600000,29701.47,29941.41,29560.67,29821.03,2532.18696,,,",
            "1653469200000,29821.04,29876.75,29685.26,29813.0,2011.16618,,17,",
        ]))
        let candles = try CandleReader.readAll(path: path).candles
        #expect(candles[0].quoteVolume == nil)
        #expect(candles[0].tradeCount == nil)
        #expect(candles[0].takerBuyVolume == nil)
        #expect(candles[0].volume.raw == 253_218_696_000) // 2532.18696 × 10^8
        #expect(candles[1].tradeCount == 17)
    }

    @Test("a gap is reported with the exact missing-bar count, never filled")
    func gapReported() throws {
        let directory = try FixtureDirectory("gap")
        defer { directory.remove() }
        let start = KlineText.february2026
        // Bars at +0, +1, then +5 min: bars +2, +3, +4 are missing (step 4 min = 4 intervals → 3 missing).
        let rows = KlineText.minuteRows(count: 2, start: start) + KlineText.minuteRows(count: 2, start: start + 5 * 60_000)
        let path = try directory.writeGzip("FILUSDT-1m-gap.csv.gz", KlineText.file(rows))
        let series = try CandleReader.readAll(path: path)
        #expect(series.candles.count == 4)
        #expect(series.report.gaps == [CandleGap(
            firstMissingOpenTime: Timestamp(milliseconds: start + 2 * 60_000),
            lastMissingOpenTime: Timestamp(milliseconds: start + 4 * 60_000),
            missingBarCount: 3)])
        #expect(series.report.missingBarCount == 3)
    }

    @Test("interval inferred from the most common step when the name has none")
    func inferredInterval() throws {
        let directory = try FixtureDirectory("inferred")
        defer { directory.remove() }
        let start = KlineText.february2026
        // 5-minute rows: steps 5,5,5 and one 10-minute step (1 missing bar) → mode 5m.
        let times: [Int64] = [0, 5, 10, 15, 25].map { start + $0 * 60_000 }
        let rows = times.map { "\($0),1.0,1.2,0.9,1.1,10,,," }
        let path = try directory.writeGzip("klines.csv.gz", KlineText.file(rows))
        let report = try CandleReader.validate(path: path)
        #expect(report.interval == .fiveMinutes)
        #expect(report.intervalSource == .inferred)
        #expect(report.symbol == nil)
        #expect(report.gaps.map(\.missingBarCount) == [1])
    }

    @Test("truncated gzip (file cut in the middle) is detected")
    func truncatedGzip() throws {
        let directory = try FixtureDirectory("truncated")
        defer { directory.remove() }
        let path = try directory.writeGzip(Self.fileName, KlineText.file(KlineText.minuteRows(count: 3000)))
        #expect(readError(path) == nil)
        try directory.truncate(path, keeping: 0.5)
        let error = try #require(readError(path))
        #expect(error.kind == .truncatedCompression)
        #expect(error.file == path)
    }

    @Test("corrupt gzip (bytes flipped in the middle) is detected")
    func corruptGzip() throws {
        let directory = try FixtureDirectory("corrupt")
        defer { directory.remove() }
        let path = try directory.writeGzip(Self.fileName, KlineText.file(KlineText.minuteRows(count: 3000)))
        try directory.corrupt(path, count: 16)
        let error = try #require(readError(path))
        #expect(error.kind == .corruptCompression)
    }

    @Test("a .gz name with plain content is rejected")
    func notGzip() throws {
        let directory = try FixtureDirectory("notgzip")
        defer { directory.remove() }
        let path = try directory.writePlain(Self.fileName, KlineText.file(KlineText.minuteRows(count: 2)))
        #expect(readError(path)?.kind == .notGzip)
    }

    @Test("missing and empty files")
    func missingAndEmpty() throws {
        let directory = try FixtureDirectory("missing")
        defer { directory.remove() }
        #expect(readError(directory.path("NOPEUSDT-1m-x.csv.gz"))?.kind == .cannotOpen)
        let empty = try directory.writeGzip("EMPTYUSDT-1m-x.csv.gz", "")
        #expect(readError(empty)?.kind == .emptyFile)
        let headerOnly = try directory.writeGzip("HEADUSDT-1m-x.csv.gz", KlineText.file([]))
        #expect(readError(headerOnly)?.kind == .noRows)
    }

    @Test("wrong header", arguments: [
        "open_time,open,high,low,close,volume,quote_volume,trades,taker_buy_volume",
        "open_time_ms,open,high,low,close,volume",
        "open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume,ignore",
        " open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume",
    ])
    func wrongHeader(header: String) throws {
        let directory = try FixtureDirectory("header-\(header.count)-\(header.first == " ")")
        defer { directory.remove() }
        let text = ([header] + KlineText.minuteRows(count: 2)).map { $0 + "\n" }.joined()
        let path = try directory.writeGzip(Self.fileName, text)
        let error = try #require(readError(path))
        #expect(error.kind == .wrongHeader)
        #expect(error.line == 1)
    }
}
