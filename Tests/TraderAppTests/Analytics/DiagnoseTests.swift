import Backtest
import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel

/// `qt diagnose` on the post-mortem's position: a paper session shorts ATOMUSDT at 2.224 at 72%
/// confidence, 2x, and its exit owner stops working right after the entry (the old bot's
/// "computed but never enforced" stop). The price runs to 2.253, through the 2.250 stop but
/// short of the 2.256 exchange backstop: the position is still open.
@Suite struct DiagnoseTests {
    static let atom: Symbol = "ATOMUSDT"

    /// The session through the real kernel, exit executor and simulated exchange (the owner dies
    /// 1 ms into bar 1, the watchdog too), recorded in a store as the paper runtime records it.
    static func disabledOwnerSession(_ path: String) throws -> (store: SQLiteTradeStore, candles: [Candle]) {
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.253", "2.224", "2.253"), Integration.flat("2.253"),
                                           Integration.flat("2.253")])
        let config = try Integration.exitEngineConfig(leverage: 2)
        let wiring = try ExitEngineWiringTests.wiring(config, atom, candles)
        wiring.runtime.supervisor = nil
        let death = Timestamp(milliseconds: candles[1].openTime.milliseconds + 1)
        let output = try ExitEngineWiringTests.replay(wiring, config, atom, candles).run(
            strategies: [ScriptedSignals(symbol: atom, [0: (.short, 0.72)])], gate: wiring.exitPlannedGate,
            makeExit: { DeadOwner(inner: wiring.makeExecutor($0), deathTime: death) })
        #expect(output.trades.isEmpty)   // nothing closed it: no owner, no watchdog, backstop not reached
        let store = try SQLiteTradeStore(path: path)
        let run = try store.beginRun(RunRecord(kind: .paper, startedAt: candles[0].openTime, configHash: "test",
                                               detail: "ema-cross/fixed-notional/exit-engine paper on ATOMUSDT"))
        for decision in output.decisions { try store.recordDecision(DecisionRecord(decision: decision.decision, runID: run, time: decision.time)) }
        for operation in wiring.runtime.operations {
            switch operation {
            case .order(var record): record.runID = run; try store.recordOrder(record)
            case .saveExitState(let snapshot, let time):
                try store.saveExitState(ExitStateRecord(runID: run, positionKey: snapshot.positionKey, symbol: snapshot.symbol, executor: snapshot.executor,
                                                        stateJSON: snapshot.stateJSON, lastPriceEventAt: snapshot.lastPriceEventAt, updatedAt: time))
            case .deleteExitState(let key): try store.deleteExitState(runID: run, positionKey: key)
            case .riskEvent, .alert: break
            }
        }
        for fill in output.fills { try store.recordFill(FillRecord(runID: run, fill: fill)) }
        // the session ran to the end of its data (the last bar's close) and finished its run
        try store.finishRun(id: run, finishedAt: Timestamp(milliseconds: candles[3].openTime.milliseconds + 60_000), summaryJSON: "{\"trades\":0}")
        return (store, candles)
    }

    @Test func theBreachedStopIsTheFirstFindingWithTheCorrectMoveAndROE() throws {
        let directory = Integration.temporaryDirectory("diagnose")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (store, candles) = try Self.disabledOwnerSession(directory + "/qt.sqlite")
        var options = DiagnoseOptions()
        options.candles = [Self.atom: candles]
        options.candleIntervals = [Self.atom: .seconds(60)]
        options.minConfidence = 0.80
        let diagnosis = try Diagnosis(store: store, storeName: "qt.sqlite", options: options)
        let first = try #require(diagnosis.findings.first)
        #expect(diagnosis.asOf == Timestamp(iso8601: "2026-03-02T00:04:00Z")!)
        #expect(first.rule == "stop-breached-open" && first.severity == .critical)
        #expect(first.title == "ATOMUSDT SHORT: stop 2.25 breached and the position is still open")
        // 1000 USDT / 2.224 = 449.64 ATOM (0.01 step); margin 2.224 × 449.64 / 2 = 999.99936 / 2 = 499.99968 USDT.
        // At 2.253: move −(2.253 − 2.224) / 2.224 = −0.029 / 2.224 = −1.3040%;
        // PnL −449.64 × 0.029 = −13.03956 USDT; ROE −13.03956 / 499.99968 = −2.6079%, not 2 × the PnL, not the move.
        let position = try #require(diagnosis.positions.first)
        let figures = try #require(position.figures)
        #expect(figures.unrealizedPnL == Money("-13.03956")!)
        #expect(abs(figures.returns.priceMovePct - -1.303956834532374) < 1e-9)
        #expect(abs(figures.returns.roePct! - -2.607913669064748) < 1e-9)
        #expect(first.evidence.contains { $0.hasPrefix("price 2.253 (close of the 2026-03-02T00:03:00.000Z candle): price move -1.30%, ROE -2.61% at 2x, unrealised PnL -13.04 USDT") })
        // the candle that crossed: bar 1 (00:01) with high 2.253 ≥ 2.25
        #expect(first.evidence.contains("first crossing: the 2026-03-02T00:01:00.000Z candle, high 2.253 ≥ stop 2.25"))
        #expect(first.evidence.contains("exchange backstop resting at 2.256"))
        // the 72% entry below the validated 80% is named too
        #expect(diagnosis.findings.contains { $0.rule == "confidence-below-threshold" && $0.evidence.first?.contains("0.72 < 0.80") == true })
        #expect(diagnosis.findings.contains { $0.rule == "exit-owner-silent" && $0.title == "ATOMUSDT SHORT: the exit owner has processed no price for 3 min" })
        // entry fill and state saved at 00:01:00, nothing since; the diagnosis is at 00:04:00
        #expect(first.evidence.contains("exit owner's last price event: none since its state was saved at 2026-03-02T00:01:00.000Z (3 min before 2026-03-02T00:04:00.000Z)"))
        #expect(diagnosis.lines.contains("  1. CRITICAL [stop-breached-open] ATOMUSDT SHORT: stop 2.25 breached and the position is still open"))
    }

    @Test func withoutAPriceTheStopIsNotJudgedAndSaysWhy() throws {
        let directory = Integration.temporaryDirectory("diagnose-noprice")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (store, _) = try Self.disabledOwnerSession(directory + "/qt.sqlite")
        let diagnosis = try Diagnosis(store: store, storeName: "qt.sqlite", options: DiagnoseOptions())
        #expect(!diagnosis.findings.contains { $0.rule == "stop-breached-open" })
        #expect(diagnosis.findings.contains { $0.rule == "no-price" })
        #expect(diagnosis.positions.first?.figures == nil)
        // a price given by hand is used as given
        var options = DiagnoseOptions()
        options.prices = [Self.atom: Price("2.2616")!]
        let priced = try Diagnosis(store: store, storeName: "qt.sqlite", options: options)
        #expect(priced.findings.first?.rule == "stop-breached-open")
        #expect(priced.positions.first?.priceSource == "--price")
    }

    @Test func aStoreWithoutRunsOrAMissingOrDamagedFileIsAOneLineError() throws {
        let directory = Integration.temporaryDirectory("diagnose-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let empty = directory + "/empty.sqlite"
        _ = try SQLiteTradeStore(path: empty)
        #expect(throws: AnalyticsError("\(empty) holds no runs yet: nothing to diagnose")) { try Diagnosis.make(storePath: empty, options: DiagnoseOptions()) }
        let missing = directory + "/missing.sqlite"
        let error = #expect(throws: AnalyticsError.self) { try Diagnosis.make(storePath: missing, options: DiagnoseOptions()) }
        #expect(error?.message.contains("no such store file") == true && error?.message.contains("\n") == false)
        #expect(!FileManager.default.fileExists(atPath: missing))
        let damaged = directory + "/damaged.sqlite"
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: damaged))
        let damage = #expect(throws: AnalyticsError.self) { try Diagnosis.make(storePath: damaged, options: DiagnoseOptions()) }
        #expect(damage?.message.contains(damaged) == true && damage?.message.contains("\n") == false)
    }
}
