import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Paper runs record their equity curve in the store (the backtest's samples, same times and
/// values), so `qt stats` has a starting equity and daily figures for them, and their trades
/// carry the exit details.
@Suite struct PaperEquityTests {
    @Test func paperRecordsTheBacktestsEquitySamplesAndExitDetails() async throws {
        let root = BacktestConfigTests.root
        let config = try AppConfig.load(path: root + "/examples/ema-cross-exit-engine.toml")
        let file = root + "/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"
        let directory = Integration.temporaryDirectory("paper-equity")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backtest = try BacktestRunner.run(config: config, dataFiles: [file], outputDirectory: directory)
        let store = InMemoryTradeStore()
        let paper = try await PaperRunner.run(config: config, dataFiles: [file], store: store, alerting: NoAlerting())
        let recorded = try store.equity(runID: paper.runID)
        let expected = Dictionary(backtest.output.equityCurve!.samples.map { ($0.time, $0.equity) }, uniquingKeysWith: { $1 })
        #expect(recorded.count > 100)
        #expect(recorded.first?.walletBalance == config.backtest.initialBalance)
        let differing = recorded.filter { expected[$0.time] != $0.equity }
        #expect(differing.isEmpty, "first differing sample: \(String(describing: differing.first))")
        let trades = try store.trades(runID: paper.runID)
        #expect(trades.allSatisfy { $0.plannedStop != nil && $0.bestPrice != nil && $0.targetsHit != nil })
        let report = try StatsReport.make(store: store, storeName: "memory", filter: TradeFilter(kinds: [.paper]), capital: nil)
        #expect(report.stats.startingEquity == config.backtest.initialBalance)
        #expect(report.stats.sharpe != nil && report.stats.expectancyR != nil && report.stats.harvestEffectiveness != nil)
        #expect(report.stats.targetTrades == trades.count)
    }
}
