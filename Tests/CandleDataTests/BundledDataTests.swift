import CandleData
import Foundation
import Testing
import TradingModel
import TradingTestSupport

/// One bundled file with the facts recorded for it in data/SOURCES.md.
struct BundledFile: Sendable, CustomTestStringConvertible {
    let path: String
    let rows: Int
    let firstBar: String
    let lastBar: String
    let missingBars: Int64
    var testDescription: String { path }
}

@Suite("Bundled data", .ownThread)
struct BundledDataTests {
    /// The repository's `data/` folder, found from this source file (never ../shared).
    static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data")

    /// Row counts, first/last bar and missing bars as listed in data/SOURCES.md.
    static let klineFiles: [BundledFile] = [
        BundledFile(path: "binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/LINKUSDT-1m-2023-02-01_2023-02-28.csv.gz", rows: 40320, firstBar: "2023-02-01T00:00", lastBar: "2023-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/ATOMUSDT-1h-2020-02-07_2026-06-07.csv.gz", rows: 55487, firstBar: "2020-02-07T12:00", lastBar: "2026-06-07T10:00", missingBars: 0),
        BundledFile(path: "binance-usdm/FILUSDT-1m-2023-02-01_2023-02-28.csv.gz", rows: 40320, firstBar: "2023-02-01T00:00", lastBar: "2023-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/FILUSDT-1m-2023-04-01_2023-06-30.csv.gz", rows: 131040, firstBar: "2023-04-01T00:00", lastBar: "2023-06-30T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/FILUSDT-1m-2023-08-01_2023-11-30.csv.gz", rows: 175680, firstBar: "2023-08-01T00:00", lastBar: "2023-11-30T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/FILUSDT-1m-2024-09-01_2024-11-30.csv.gz", rows: 131040, firstBar: "2024-09-01T00:00", lastBar: "2024-11-30T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/FILUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/NEARUSDT-1m-2023-04-01_2023-05-31.csv.gz", rows: 87840, firstBar: "2023-04-01T00:00", lastBar: "2023-05-31T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/NEARUSDT-1m-2023-08-01_2023-10-31.csv.gz", rows: 132480, firstBar: "2023-08-01T00:00", lastBar: "2023-10-31T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/NEARUSDT-1m-2024-09-01_2024-09-30.csv.gz", rows: 43200, firstBar: "2024-09-01T00:00", lastBar: "2024-09-30T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/NEARUSDT-1m-2024-11-01_2024-11-30.csv.gz", rows: 43200, firstBar: "2024-11-01T00:00", lastBar: "2024-11-30T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/NEARUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/ALGOUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/AVAXUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/DOTUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/LTCUSDT-1m-2026-02-01_2026-02-28.csv.gz", rows: 40320, firstBar: "2026-02-01T00:00", lastBar: "2026-02-28T23:59", missingBars: 0),
        BundledFile(path: "binance-usdm/XRPUSDT-5m-2021-11-15_2021-11-21.csv.gz", rows: 1999, firstBar: "2021-11-15T00:00", lastBar: "2021-11-21T22:30", missingBars: 0),
        BundledFile(path: "binance-spot/BTCUSDT-1h-2022-05-25_2026-05-24.csv.gz", rows: 35039, firstBar: "2022-05-25T08:00", lastBar: "2026-05-24T07:00", missingBars: 1),
    ]

    @Test("every bundled kline file reads with the row counts of SOURCES.md", arguments: klineFiles)
    func klineFile(_ file: BundledFile) throws {
        let report = try CandleReader.validate(path: Self.dataDirectory.appendingPathComponent(file.path).path)
        #expect(report.reachedEnd)
        #expect(report.rowCount == file.rows)
        #expect(report.firstOpenTime?.iso8601.hasPrefix(file.firstBar) == true)
        #expect(report.lastOpenTime?.iso8601.hasPrefix(file.lastBar) == true)
        #expect(report.missingBarCount == file.missingBars)
        #expect(report.intervalSource == .fileName)
        #expect(report.symbol != nil)
    }

    @Test("the BTC spot gap is the one missing hour 2023-03-24 13:00 UTC")
    func btcGap() throws {
        let path = Self.dataDirectory.appendingPathComponent("binance-spot/BTCUSDT-1h-2022-05-25_2026-05-24.csv.gz").path
        let report = try CandleReader.validate(path: path)
        #expect(report.gaps == [CandleGap(
            firstMissingOpenTime: Timestamp(iso8601: "2023-03-24T13:00Z")!,
            lastMissingOpenTime: Timestamp(iso8601: "2023-03-24T13:00Z")!, missingBarCount: 1)])
    }

    @Test("the bundled funding file reads: 91 settlements")
    func fundingFile() throws {
        let path = Self.dataDirectory.appendingPathComponent("binance-usdm/XRPUSDT-funding-2021-11-18_2021-12-18.csv.gz").path
        let (rates, report) = try FundingRateReader.readAll(path: path)
        #expect(rates.count == 91 && report.reachedEnd)
        #expect(report.firstFundingTime?.iso8601 == "2021-11-18T00:00:00.017Z")
        #expect(rates.allSatisfy { $0.markPrice == nil })
        #expect(rates.filter { $0.rate == Rate("0.0001") }.count == 70)
    }

    @Test("the five FILUSDT 1m files give at least 500k one-minute bars for the benchmark")
    func benchmarkVolume() {
        let fil = Self.klineFiles.filter { $0.path.contains("FILUSDT-1m-") }
        #expect(fil.count == 5)
        #expect(fil.reduce(0) { $0 + $1.rows } == 518_400)
    }
}
