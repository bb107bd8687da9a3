import Backtest
import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The kernel records each closed trade's planned stop, best price and targets hit, the store
/// keeps them, and `qt stats` turns them into R multiples, target rates and harvest.
@Suite(.ownThread) struct TradeExitDetailsWiringTests {
    static let atom: Symbol = "ATOMUSDT"

    static func run(_ rows: [(String, String, String, String)], store: (any TradeStore)?, directory: String) throws -> BacktestRunResult {
        try BacktestRunner.run(config: try Integration.exitEngineConfig(), data: Integration.data(Self.atom, Integration.candles(rows)),
                               strategies: [ScriptedSignals(symbol: Self.atom, [0: (.short, 0.72)])], dataFiles: [],
                               outputDirectory: directory, store: store)
    }

    /// The post-mortem's short, stopped at its 2.250 stop: 1 R lost (plus fees).
    @Test func theStoppedShortIsMinusOneRAndHarvestedNothing() throws {
        let directory = Integration.temporaryDirectory("details-atom")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite")
        let result = try Self.run([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")],
                                  store: store, directory: directory)
        let trade = try #require(result.output.trades.first)
        #expect(trade.exitReason == .stopLoss && trade.plannedStop == Price("2.25")!)
        // a short's best price is its lowest: nothing below the 2.224 entry was seen
        #expect(trade.bestPrice == Price("2.224")! && trade.targetsHit.isEmpty)
        let stored = try #require(try store.trades(runID: 1).first)
        #expect(stored.plannedStop == trade.plannedStop && stored.bestPrice == trade.bestPrice && stored.targetsHit == [])
        let report = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(), capital: nil)
        // risk = |2.224 − 2.25| × 449.64 = 0.026 × 449.64 = 11.69064 USDT; R = net / 11.69064
        #expect(abs(report.stats.expectancyR! - stored.netPnL.doubleValue / 11.69064) < 1e-9)
        #expect(report.stats.expectancyR! < -1 && report.stats.expectancyR! > -1.2)   // −1 R and the fees
        #expect(report.stats.stopHitRate == 1 && report.stats.targetHitRates == [0, 0, 0])
        #expect(report.stats.harvestEffectiveness == nil)   // never in favour: no best exit to compare with
    }

    /// The same short's money: 10,000 USDT start, the trade's net, and nothing unexplained; the
    /// stop filled at the stop (no slippage on the pessimistic bar path).
    @Test func theBacktestsWalletIsExplainedExactlyByItsTrades() throws {
        let directory = Integration.temporaryDirectory("details-flow")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite")
        _ = try Self.run([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")], store: store, directory: directory)
        let report = try MoneyFlowReport.make(store: store, storeName: "qt.sqlite", runID: nil)
        let trade = try #require(report.flow.lines.first?.trade)
        #expect(report.flow.startingWallet == Money(units: 10_000))
        #expect(report.flow.explainedWallet == Money(units: 10_000) + trade.netPnL)
        #expect(report.flow.unexplained == .zero)
        #expect(report.flow.stopSlippage == .zero && report.flow.stopExitsWithPlan == 1)
        #expect(report.lines.contains("unexplained       0 (the trades explain the wallet exactly)"))
        #expect(throws: AnalyticsError("qt.sqlite has no run 4 (runs 1…1; `qt status --db` lists them)")) {
            try MoneyFlowReport.make(store: store, storeName: "qt.sqlite", runID: 4)
        }
    }

    /// The approved signal's reference price (the price the gate judged it at) is stored with the
    /// decision, and the flow and the statistics measure the entry fill against it.
    @Test func theEntryIsMeasuredAgainstTheSignalsPrice() throws {
        let directory = Integration.temporaryDirectory("details-entry")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite")
        // the signal comes at the close of bar 0 (2.224); the gate judges it at the next bar's open, 2.23 (the latest
        // price then, the plan's expected entry), and the market entry fills there: no slippage on this path
        let result = try Self.run([Integration.flat("2.224"), ("2.23", "2.262", "2.23", "2.262"), Integration.flat("2.262")],
                                  store: store, directory: directory)
        let trade = try #require(result.output.trades.first)
        let decision = try #require(try store.decisions(runID: 1).first { $0.approved })
        #expect(decision.referencePrice == Price("2.23")!)
        #expect(try store.decisions(runID: 1).filter { !$0.approved }.allSatisfy { $0.referencePrice == nil })
        // a short sells: filling at entry e instead of 2.23 costs −1 × (e − 2.23) × quantity
        let expected = Money(raw: -(trade.entryPrice.raw - Price("2.23")!.raw) * trade.quantity.raw / 100_000_000)
        #expect(trade.entryPrice == Price("2.23")! && expected == .zero)
        let report = try MoneyFlowReport.make(store: store, storeName: "qt.sqlite", runID: nil)
        #expect(report.flow.lines.first?.entrySlippage?.cost == expected)
        #expect(report.flow.entrySlippage.measured == 1 && report.flow.entrySlippage.total == expected)
        #expect(report.lines.contains { $0.hasPrefix("entry slippage    \(expected) over 1 entries") })
        let stats = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(), capital: nil)
        #expect(stats.entrySlippage?.total == expected)
        #expect(stats.lines.contains { $0.hasPrefix("entry slippage  \(expected) USDT over 1 entries") })
        #expect(try stats.json().contains("\"entry_slippage\""))
    }
}
