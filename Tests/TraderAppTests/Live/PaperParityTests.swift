import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// `qt paper` on a bundled file runs the live runtime (async, execution client port, inbox) with
/// the simulated exchange; `qt backtest` runs the synchronous replay. Same kernel, same data,
/// same config: the same trades, to the 10⁻⁸.
@Suite("Paper trading on a file = the backtest on the same data and config")
struct PaperParityTests {
    static let root = BacktestConfigTests.root

    @Test("ema-cross on XRPUSDT 5m (one week) and LINKUSDT 1m (February 2026): identical trades", arguments: [
        "/data/binance-usdm/XRPUSDT-5m-2021-11-15_2021-11-21.csv.gz",
        "/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz",
    ])
    func paperEqualsBacktest(file: String) async throws {
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross.toml")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-paper-\(getpid())-\(file.hashValue)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backtest = try BacktestRunner.run(config: config, dataFiles: [Self.root + file], outputDirectory: directory)
        let store = InMemoryTradeStore()
        let paper = try await PaperRunner.run(config: config, dataFiles: [Self.root + file], store: store, alerting: NoAlerting())
        #expect(backtest.output.trades.count > 10)
        #expect(paper.trades.count == backtest.output.trades.count)
        for (paperTrade, backtestTrade) in zip(paper.trades, backtest.output.trades) where paperTrade != backtestTrade {
            Issue.record("first difference:\n paper    \(paperTrade)\n backtest \(backtestTrade)")
            break
        }
        #expect(paper.walletBalance == backtest.output.walletBalance)
        #expect(try store.trades(runID: paper.runID).count == paper.trades.count)
        #expect(try store.runs().first?.kind == .paper)
    }
}

struct NoAlerting: Alerting {
    func send(_ alert: Alert) async {}
}
