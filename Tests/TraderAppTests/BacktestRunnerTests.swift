import TradingConfig
import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// `qt backtest` end to end, minus argument parsing: config text, bundled data, run folder, store.
@Suite(.ownThread) struct BacktestRunnerTests {
    static let root = BacktestConfigTests.root
    static let link = root + "/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"
    static let near = root + "/data/binance-usdm/NEARUSDT-1m-2026-02-01_2026-02-28.csv.gz"

    static func config() throws -> AppConfig {
        try AppConfig.load(path: root + "/examples/ema-cross.toml")
    }

    @Test func twoSymbolsReplayInTimeOrderAndEachTradesAsIfAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-runner-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = InMemoryTradeStore()
        let both = try BacktestRunner.run(config: try Self.config(), dataFiles: [Self.near, Self.link], outputDirectory: directory + "/both", store: store)
        let alone = try BacktestRunner.run(config: try Self.config(), dataFiles: [Self.link], outputDirectory: directory + "/alone")
        #expect(both.symbols == ["LINKUSDT", "NEARUSDT"])
        #expect(both.output.bars == 2 * alone.output.bars)
        let linkTrades = both.output.trades.filter { $0.symbol == "LINKUSDT" }
        #expect(linkTrades == alone.output.trades)
        #expect(both.output.trades.contains { $0.symbol == "NEARUSDT" })
        // Recorded in the store: one run with every trade.
        let runs = try store.runs()
        #expect(runs.count == 1)
        #expect(try store.trades(runID: try #require(runs.first?.id)).count == both.output.trades.count)
        for file in ["trades.csv", "equity.csv", "report.html", "summary.txt"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/both/" + file))
        }
    }

    @Test func aBacktestWithoutAStrategyIsRefusedBeforeAnythingIsWritten() throws {
        let document = try ConfigDocument.parse(text: "[execution]\npolicy = \"reference-bracket\"\n", file: "t.toml")
        let config = try AppConfig(from: document)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-runner-none-\(getpid())").path
        #expect(throws: BacktestRunError.self) { try BacktestRunner.run(config: config, dataFiles: [Self.link], outputDirectory: directory) }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
