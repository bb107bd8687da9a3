import CandleData
import Foundation
import Testing
@testable import TraderApp
import TradingModel
import TradingTestSupport

/// Loading a backtest's candle files (read in parallel): the same candles, in the same order, as
/// reading each file alone and joining them in time order; an error names the first bad file in
/// the order the files were given, whatever order the reads finished in.
@Suite(.ownThread) struct BacktestDataLoadTests {
    static let folder = BacktestRunnerTests.root + "/data/binance-usdm"

    @Test func filesReadInParallelJoinInTimeOrderExactlyAsReadOneByOne() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
            .filter { $0.hasPrefix("FILUSDT-1m-") }.sorted().map { Self.folder + "/" + $0 }
        #expect(files.count == 5)
        let loaded = try BacktestData.load(files: files.reversed(), fundingFiles: [])
        let oneByOne = try files.flatMap { try CandleReader.readAll(path: $0).candles }
        #expect(loaded.symbols == ["FILUSDT"])
        #expect(loaded.candles.count == 1)
        #expect(loaded.candles[0].count == oneByOne.count)
        #expect(loaded.candles[0] == oneByOne)
        #expect(loaded.start == oneByOne[0].openTime)
    }

    @Test func theFirstBadFileInArgumentOrderIsReported() throws {
        let directory = Integration.temporaryDirectory("load-errors")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let good = Self.folder + "/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"
        let truncated = directory + "/NEARUSDT-1m-2026-02-01_2026-02-28.csv.gz"
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/NEARUSDT-1m-2026-02-01_2026-02-28.csv.gz"))
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: truncated))
        let missing = directory + "/DOTUSDT-1m-2026-02-01_2026-02-28.csv.gz"
        for _ in 0..<3 {
            let first = try #require(throws: BacktestRunError.self) {
                try BacktestData.load(files: [good, truncated, missing], fundingFiles: [])
            }
            #expect(first.message.contains(truncated), "\(first.message)")
            let second = try #require(throws: BacktestRunError.self) {
                try BacktestData.load(files: [good, missing, truncated], fundingFiles: [])
            }
            #expect(second.message.contains(missing), "\(second.message)")
        }
    }
}
