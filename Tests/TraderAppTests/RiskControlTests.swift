import Backtest
import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt risk status|halt|resume` and `qt status`: their core logic on a SQLite store, and the
/// halt reaching the next run's entries.
@Suite(.ownThread) struct RiskControlTests {
    static let time = Timestamp(iso8601: "2026-03-02T12:00:00Z")!

    static func store() throws -> (SQLiteTradeStore, String) {
        let directory = Integration.temporaryDirectory("risk")
        return (try SQLiteTradeStore(path: directory + "/qt.sqlite", durability: .relaxed), directory)
    }

    @Test func haltAndResumeAreStoredOnceEachWithWhoAndWhy() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try RiskControl.status(store: store).state == "ACTIVE")
        let halt = try RiskControl.halt(reason: "exchange maintenance", who: "ana", time: Self.time, store: store)
        #expect(halt.state == "HALTED" && halt.written?.detail == "by ana: exchange maintenance")
        // A second halt writes nothing.
        #expect(try RiskControl.halt(reason: "again", who: "ana", time: Self.time, store: store).written == nil)
        let status = try RiskControl.status(store: store)
        #expect(status.state == "HALTED" && status.lines[0].contains("HALTED (manual"))
        #expect(try ManualRiskState.isHalted(in: store))
        let resume = try RiskControl.resume(reason: "maintenance over", who: "ana", time: Self.time.advanced(by: .seconds(60)), store: store)
        #expect(resume.state == "ACTIVE" && resume.written?.state == "resumed")
        #expect(try RiskControl.resume(reason: "again", who: "ana", time: Self.time, store: store).written == nil)
        let events = try store.riskEvents(runID: nil)
        #expect(events.map(\.state) == ["halted", "resumed"] && events.allSatisfy { $0.runID == nil && $0.cause == "manual" })
        #expect(try !ManualRiskState.isHalted(in: store))
    }

    @Test func aHaltWithoutAReasonIsRefusedAndNothingIsWritten() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: RiskControl.Refusal.self) { try RiskControl.halt(reason: "  ", who: "ana", time: Self.time, store: store) }
        #expect(try store.riskEvents(runID: nil).isEmpty)
    }

    @Test func aMissingStoreFileIsAnErrorNotAnEmptyStore() throws {
        let path = Integration.temporaryDirectory("missing") + "/typo.sqlite"
        #expect(throws: BacktestRunError.self) { try TradeStoreFactory.openExisting(sqlitePath: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// `qt risk halt` then the next run on the store: every entry refused with the manual halt,
    /// for the sizer and for the validator; after `qt risk resume` the same run trades.
    @Test(arguments: ["fixed-notional", "validator"])
    func aHaltedStoreBlocksTheNextRunsEntriesUntilResumed(gate: String) throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = gate == "validator"
            ? try ValidatorWiringTests.config(validation: "confidence_check = false\ntrend_check = false")
            : try Integration.exitEngineConfig()
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")])
        func run(_ name: String) throws -> BacktestRunResult {
            try BacktestRunner.run(config: config, data: Integration.data("ATOMUSDT", candles),
                                   strategies: [ScriptedSignals(symbol: "ATOMUSDT", [0: (.short, nil)])], dataFiles: [],
                                   outputDirectory: directory + "/" + name, store: store)
        }
        _ = try RiskControl.halt(reason: "drawdown review", who: "ana", time: Self.time, store: store)
        let halted = try run("halted")
        #expect(halted.output.trades.isEmpty && halted.output.fills.isEmpty)
        #expect(halted.notes.contains { $0.contains("HALTED") })
        let haltedRun = try #require(try store.runs().last?.id)
        let decision = try #require(try store.decisions(runID: haltedRun).first)
        #expect(!decision.approved && decision.reasons.contains { $0.description.hasPrefix("riskHalted(manual") })

        _ = try RiskControl.resume(reason: "review done", who: "ana", time: Self.time, store: store)
        let resumed = try run("resumed")
        #expect(resumed.output.trades.count == 1 && resumed.notes.isEmpty)
    }

    /// The ml-ensemble backtest path honours the store's manual halt as well.
    @Test func aHaltedStoreBlocksAnMLEnsembleRunsEntries() throws {
        let (model, later) = try MLBacktestTests.prepared.get()
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try RiskControl.halt(reason: "model review", who: "ana", time: Self.time, store: store)
        let result = try BacktestRunner.run(config: try MLBacktestTests.config(model: model), dataFiles: [later],
                                            outputDirectory: directory + "/run", store: store)
        #expect(!result.output.decisions.isEmpty && result.output.trades.isEmpty && result.output.fills.isEmpty)
        #expect(result.output.decisions.allSatisfy { decision in
            if case .rejected(_, let reasons) = decision.decision { reasons.contains { $0.description.hasPrefix("riskHalted(manual") } } else { false }
        })
        #expect(result.notes.contains { $0.contains("HALTED") })
    }

    /// `qt status`: runs, the open position's exit state (stop, targets, backstop), risk, alerts.
    @Test func statusShowsRunsOpenPositionsWithTheirExitsRiskAndAlerts() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try store.beginRun(RunRecord(kind: .paper, startedAt: Self.time, configHash: "sha256:0123456789abcdef", detail: "ema-cross/validator/exit-engine on ATOMUSDT"))
        // An ATOMUSDT short at 2.224, 449.64 (the plan of the incident scenario).
        let instrument = try #require(BundledInstruments.instrument("ATOMUSDT"))
        let brain = try ExitBrain(settings: ExitSettings())
        let plan = try brain.plan(symbol: "ATOMUSDT", side: .short, entryPrice: Price("2.224")!, quantity: Quantity("449.64")!, leverage: 5,
                                  instrument: instrument).get()
        let position = Position(symbol: "ATOMUSDT", side: .short, quantity: Quantity("449.64")!, entryPrice: Price("2.224")!, leverage: 5,
                                isolatedMargin: Money("199.999872")!, openedAt: Self.time)
        var executor = ExitExecutor(plan: plan, position: position, instrument: instrument, settings: ExitSettings(),
                                    positionKey: "ATOMUSDT-qt-1-en", orderIDs: ClientOrderIDGenerator(runTag: "p1"))
        let placed = executor.start(at: Self.time)
        func save() throws {
            let snapshot = executor.snapshot
            try store.saveExitState(ExitStateRecord(runID: run, positionKey: snapshot.positionKey, symbol: snapshot.symbol, executor: snapshot.executor,
                                                    stateJSON: snapshot.stateJSON, lastPriceEventAt: snapshot.lastPriceEventAt, updatedAt: Self.time))
        }
        try save()
        // Sent, not yet accepted: no backstop rests.
        var lines = try StoreStatus(store: store).lines.joined(separator: "\n")
        #expect(lines.contains("ATOMUSDT SHORT 449.64 @ 2.224") && lines.contains("stop 2.25"))
        #expect(lines.contains("TP1 ") && lines.contains("backstop MISSING"))
        // The venue accepts the backstop: it rests at 2.256.
        let backstop = try #require(placed.compactMap { action -> OrderRequest? in if case .submit(let order) = action { order } else { nil } }.first)
        _ = executor.on(.execution(.accepted(backstop.clientOrderID, symbol: "ATOMUSDT", venueOrderID: "1", time: Self.time)))
        try save()
        try store.recordAlert(AlertRecord(runID: run, alert: Alert(severity: .critical, kind: "watchdog.missing_backstop", message: "test alert",
                                                                   symbol: "ATOMUSDT", time: Self.time)))
        _ = try RiskControl.halt(reason: "review", who: "ana", time: Self.time, store: store)
        let status = try StoreStatus(store: store)
        #expect(status.positions.count == 1 && status.positions[0].restingBackstop == Price("2.256")!)
        lines = status.lines.joined(separator: "\n")
        #expect(lines.contains("backstop 2.256 resting"))
        #expect(lines.contains("#\(run) paper ema-cross/validator/exit-engine config sha256:0123456789abcdef"))
        #expect(lines.contains("risk state: HALTED"))
        #expect(lines.contains("CRITICAL watchdog.missing_backstop ATOMUSDT: test alert"))
    }
}
