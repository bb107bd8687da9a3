import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// `qt paper` (the `LiveRuntime` over the simulated execution client) with the production exit
/// engine and the pre-trade validator, built by the same `TradingWiring` as `qt backtest`: on the
/// same bundled data and config, the same decisions and trades (times, sides, quantities,
/// prices, exit reasons) and wallet, to the 10⁻⁸. A store halted by `qt risk halt` refuses
/// every paper entry.
@Suite("Paper trading with the exit engine and the validator = the backtest")
struct PaperGateParityTests {
    static let root = BacktestConfigTests.root

    @Test("examples on bundled data: identical trades and decisions", arguments: [
        ("ema-cross-exit-engine.toml", "/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"),
        ("ema-cross-validated.toml", "/data/binance-usdm/FILUSDT-1m-2023-02-01_2023-02-28.csv.gz"),
    ])
    func paperEqualsBacktest(example: String, file: String) async throws {
        let config = try AppConfig.load(path: Self.root + "/examples/" + example)
        #expect(config.execution.policy == .exitEngine)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-paper-gates-\(getpid())-\(example.hashValue)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backtest = try BacktestRunner.run(config: config, dataFiles: [Self.root + file], outputDirectory: directory)
        let store = InMemoryTradeStore()
        let paper = try await PaperRunner.run(config: config, dataFiles: [Self.root + file], store: store, alerting: NoAlerting())

        #expect(backtest.output.trades.count >= 5)
        #expect(paper.trades.count == backtest.output.trades.count)
        for (paperTrade, backtestTrade) in zip(paper.trades, backtest.output.trades) where paperTrade != backtestTrade {
            Issue.record("first difference:\n paper    \(paperTrade)\n backtest \(backtestTrade)")
            break
        }
        // The exit engine owned every position (no reference-bracket reasons), as in the backtest.
        #expect(paper.trades.map(\.exitReason) == backtest.output.trades.map(\.exitReason))
        #expect(paper.trades.allSatisfy { ExampleBacktestTests.exitEngineReasons.contains($0.exitReason) })
        #expect(paper.walletBalance == backtest.output.walletBalance)
        // Every signal judged alike (the validator saw the same history, book and risk state).
        let decisions = try store.decisions(runID: paper.runID)
        #expect(decisions.map(\.approved) == backtest.output.decisions.map(\.decision.isApproved))
        #expect(decisions.map(\.time) == backtest.output.decisions.map(\.time))
        if config.strategy?.entryGate == .validator { #expect(decisions.contains { !$0.approved }) }
        // Fills identical too (entries, ladder slices, stops), and no position was left unowned.
        #expect(try store.fills(runID: paper.runID).map(\.fill.price) == backtest.output.fills.map(\.price))
        // The risk engine's daily-loss halts (validator) happened at the same times, with the same
        // numbers; nothing else was critical (no watchdog incident, no unprotected position).
        let critical = paper.alerts.filter { $0.severity == .critical }
        #expect(critical == backtest.output.alerts.filter { $0.severity == .critical })
        #expect(critical.allSatisfy { $0.kind == "risk.halted" })
        #expect(try store.trades(runID: paper.runID).count == paper.trades.count)
        // The paper run's equity curve is in the store: the backtest's samples, same times and values.
        let recorded = try store.equity(runID: paper.runID)
        let expected = Dictionary(backtest.output.equityCurve!.samples.map { ($0.time, $0.equity) }, uniquingKeysWith: { $1 })
        #expect(recorded.count > 100 && recorded.first?.walletBalance == config.backtest.initialBalance)
        #expect(recorded.filter { expected[$0.time] != $0.equity }.isEmpty)
        #expect(try store.trades(runID: paper.runID).allSatisfy { $0.plannedStop != nil && $0.bestPrice != nil && $0.targetsHit != nil })
    }

    /// `qt risk halt` then `qt paper` on the same store: every signal is refused with the manual
    /// halt as its reason, nothing is traded, and the result says why.
    @Test(arguments: ["ema-cross-exit-engine.toml", "ema-cross-validated.toml", "ema-cross.toml"])
    func aHaltedStoreRefusesEveryPaperEntry(example: String) async throws {
        let config = try AppConfig.load(path: Self.root + "/examples/" + example)
        let store = InMemoryTradeStore()
        let halt = try RiskControl.halt(reason: "exchange maintenance", who: "ana", time: Timestamp(iso8601: "2021-11-01T00:00:00Z")!, store: store)
        #expect(halt.state == "HALTED")
        let paper = try await PaperRunner.run(config: config, dataFiles: [Self.root + "/data/binance-usdm/XRPUSDT-5m-2021-11-15_2021-11-21.csv.gz"],
                                              store: store, alerting: NoAlerting())
        let decisions = try store.decisions(runID: paper.runID)
        #expect(decisions.count > 10)
        #expect(decisions.allSatisfy { !$0.approved })
        // The sizer names the halt's record in the reason; the validator's RiskEngine says
        // `riskHalted(manual)` and records the halt with the store's record in the run.
        #expect(decisions.allSatisfy { $0.reasons.contains { $0.hasPrefix("riskHalted(manual") } })
        if config.strategy?.entryGate == .validator {
            #expect(try store.riskEvents(runID: paper.runID).contains { $0.state == "halted" && $0.detail.contains("by ana: exchange maintenance") })
        } else {
            #expect(decisions.allSatisfy { $0.reasons == ["riskHalted(manual: by ana: exchange maintenance)"] })
        }
        #expect(paper.trades.isEmpty)
        #expect(try store.fills(runID: paper.runID).isEmpty)
        #expect(paper.notes.contains { $0.contains("HALTED") })
    }
}
