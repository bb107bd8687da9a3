import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt stats` on a paper run: the recorded equity gives the starting equity and the daily
/// figures, the trades' exit details give R, target rates and harvest. (The paper run's samples
/// equal the backtest's: `PaperGateParityTests`.)
@Suite struct PaperStatsTests {
    @Test func aPaperRunHasEveryFigure() async throws {
        let root = BacktestConfigTests.root
        let config = try AppConfig.load(path: root + "/examples/ema-cross-exit-engine.toml")
        let store = InMemoryTradeStore()
        let paper = try await PaperRunner.run(config: config, dataFiles: [root + "/data/binance-usdm/XRPUSDT-5m-2021-11-15_2021-11-21.csv.gz"],
                                              store: store, alerting: NoAlerting())
        let trades = try store.trades(runID: paper.runID)
        #expect(!trades.isEmpty && trades.allSatisfy { $0.plannedStop != nil && $0.bestPrice != nil && $0.targetsHit != nil })
        let report = try StatsReport.make(store: store, storeName: "memory", filter: TradeFilter(kinds: [.paper]), capital: nil)
        #expect(report.stats.startingEquity == config.backtest.initialBalance)
        #expect(report.stats.sharpe != nil && report.stats.expectancyR != nil && report.stats.harvestEffectiveness != nil)
        #expect(report.stats.targetTrades == trades.count)
    }
}
