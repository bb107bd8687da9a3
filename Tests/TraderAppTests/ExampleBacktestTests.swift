import Foundation
import Storage
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// `qt backtest` on the shipped exit-engine and validator examples, end to end on bundled data
/// (minus argument parsing): report sections, store records, no watchdog incident.
@Suite(.ownThread) struct ExampleBacktestTests {
    static let root = BacktestConfigTests.root

    /// Exit reasons the exit engine (and the end of the data) can give a trade.
    static let exitEngineReasons: Set<ExitReason> = [.stopLoss, .takeProfit1, .takeProfit2, .takeProfit3, .breakEvenStop, .profitLockStop, .trailingStop,
                                                     .backstop, .reversal, .endOfData]

    @Test func theExitEngineExampleRunsOnBundledData() throws {
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross-exit-engine.toml")
        #expect(config.execution.policy == .exitEngine)
        let directory = Integration.temporaryDirectory("example-exit")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = InMemoryTradeStore()
        let result = try BacktestRunner.run(config: config, dataFiles: [BacktestRunnerTests.link], outputDirectory: directory + "/run", store: store)
        #expect(result.output.trades.count > 10)
        #expect(result.output.trades.allSatisfy { Self.exitEngineReasons.contains($0.exitReason) })
        #expect(result.output.trades.contains { $0.exitReason == .takeProfit3 || $0.exitReason == .takeProfit2 })
        #expect(result.incidents == 0)
        #expect(!result.exitMetricsLines.isEmpty && result.rejectionTable.isEmpty)
        let html = try String(contentsOfFile: directory + "/run/report.html", encoding: .utf8)
        #expect(html.contains("<h2>Exit engine</h2>"))
        #expect(FileManager.default.fileExists(atPath: directory + "/run/exit_metrics.txt"))
        // Recorded: the run, its trades, and every backstop order the executors placed.
        let run = try #require(try store.runs().first)
        #expect(run.detail.hasPrefix("ema-cross/fixed-notional/exit-engine on LINKUSDT"))
        // The run is tied to the exact configuration text: sha256 of the example file.
        let text = try String(contentsOfFile: Self.root + "/examples/ema-cross-exit-engine.toml", encoding: .utf8)
        #expect(run.configHash == AppConfig.fingerprintOf(text: text) && run.configHash == config.fingerprint)
        #expect(try store.trades(runID: try #require(run.id)).count == result.output.trades.count)
    }

    @Test func theValidatedExampleRunsOnBundledData() throws {
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross-validated.toml")
        #expect(config.execution.policy == .exitEngine && config.strategy?.entryGate == .validator)
        let directory = Integration.temporaryDirectory("example-validated")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite", durability: .relaxed)
        let data = Self.root + "/data/binance-usdm/FILUSDT-1m-2023-02-01_2023-02-28.csv.gz"
        let result = try BacktestRunner.run(config: config, dataFiles: [data], outputDirectory: directory + "/run", store: store)
        #expect(result.incidents == 0)
        #expect(result.output.trades.allSatisfy { Self.exitEngineReasons.contains($0.exitReason) })
        // Every signal was judged: decisions in the store match the table's count, with reasons for each rejection.
        let run = try #require(try store.runs().first?.id)
        let decisions = try store.decisions(runID: run)
        #expect(!decisions.isEmpty)
        #expect(result.rejectionTable.contains("signals evaluated \(decisions.count), taken \(decisions.filter(\.approved).count)"))
        #expect(decisions.filter { !$0.approved }.allSatisfy { !$0.reasons.isEmpty })
        #expect(decisions.contains { !$0.approved })
        #expect(FileManager.default.fileExists(atPath: directory + "/run/rejections.txt"))
    }
}
