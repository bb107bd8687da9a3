import Backtest
import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Fail closed on the store: an unknown stored manual state halts, a reading command never
/// changes a file, a backtest creates its store only once its run is complete.
@Suite(.ownThread) struct StoreSafetyTests {
    static let time = Timestamp(iso8601: "2026-03-02T12:00:00Z")!

    // MARK: Unknown manual risk state = HALTED, with an error

    /// A halted store whose latest manual record reads `HALTED` (or cause `Manual`) once counted
    /// as "no halt": a backtest on it traded while the intact halted store did not.
    @Test(arguments: [("HALTED", "manual"), ("halted", "Manual"), ("paused", "manual"), ("resumed", "operator")])
    func anUnknownStoredManualStateCountsAsHaltedWithAProblem(state: String, cause: String) throws {
        let store = InMemoryTradeStore()
        try store.insertLegacyRiskEvent(RiskEventRecord(runID: nil, state: state, cause: cause, detail: "by ?: ?", time: Self.time))
        let reading = try ManualRiskState.read(in: store)
        #expect(reading.isHalted)
        #expect(reading.problem?.contains("is not a known halt or resume; treated as HALTED") == true)
        let status = try RiskControl.status(store: store)
        #expect(status.state == "HALTED")
        #expect(status.problem != nil)
        #expect(try StoreStatus(store: store).risk.problem != nil)

        // The next run on this store refuses every entry, like an intact halted store.
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")])
        let directory = Integration.temporaryDirectory("unknown-halt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try BacktestRunner.run(config: try Integration.exitEngineConfig(), data: Integration.data("ATOMUSDT", candles),
                                            strategies: [ScriptedSignals(symbol: "ATOMUSDT", [0: (.short, nil)])], dataFiles: [],
                                            outputDirectory: directory + "/run", store: store)
        #expect(result.output.trades.isEmpty && result.output.fills.isEmpty)
        #expect(result.notes.contains { $0.contains("HALTED") })
    }

    @Test func aKnownResumeAfterAnUnknownRecordIsActiveAgain() throws {
        let store = InMemoryTradeStore()
        try store.insertLegacyRiskEvent(RiskEventRecord(runID: nil, state: "HALTED", cause: "manual", detail: "by ?", time: Self.time))
        _ = try RiskControl.resume(reason: "checked by hand", who: "ana", time: Self.time, store: store)
        let reading = try ManualRiskState.read(in: store)
        #expect(!reading.isHalted && reading.problem == nil)
    }

    // MARK: Reading commands open read-only

    @Test func readingOpensRefuseEmptyAndForeignFilesAndLeaveThemByteIdentical() throws {
        let directory = Integration.temporaryDirectory("read-only")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let empty = directory + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: BacktestRunError.self) { _ = try TradeStoreFactory.openReadOnly(sqlitePath: empty) }
        #expect(throws: BacktestRunError.self) { _ = try TradeStoreFactory.openExisting(sqlitePath: empty) }
        #expect(FileManager.default.contents(atPath: empty) == Data())
        do {
            _ = try TradeStoreFactory.openReadOnly(sqlitePath: empty)
        } catch {
            #expect("\(error)" == "--db \(empty): is an empty file, not a qt store")
        }
    }

    // MARK: A backtest creates its store only when its run is complete

    @Test func aBacktestRejectedForItsDataCreatesNoStore() throws {
        let directory = Integration.temporaryDirectory("no-store")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/FILUSDT-1m-bad.csv"
        try Data((CandleHeader.line + "\n1700000040000,1.5,1.5,1.5,1.5,1,,,\n1700000100000,0.00000001,0.00000001,0.00000001,0.00000001,1,,,\n").utf8)
            .write(to: URL(fileURLWithPath: data))
        let settings = StorageSettings(backend: .sqlite, path: directory + "/qt.sqlite")
        let store = try TradeStoreFactory.backtestStore(settings)
        #expect(store.existing == nil)
        #expect(throws: BacktestRunError.self) {
            _ = try BacktestRunner.run(config: try BacktestRunnerTests.config(), dataFiles: [data], outputDirectory: directory + "/run",
                                       store: store.existing, createStore: store.create)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/qt.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
    }

    @Test func aBacktestStoppedByAnUnbookableFillCreatesNoStore() throws {
        let directory = Integration.temporaryDirectory("stopped")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var created = false
        let config = try AppConfig.load(path: BacktestConfigTests.root + "/examples/ema-cross.toml")
        #expect(throws: BacktestFault.self) {
            _ = try BacktestRunner.run(config: config, data: Integration.data("FILUSDT", Integration.candles(EngineOverflowTests.gapToTenBillion)),
                                       strategies: [ScriptedSignals(symbol: "FILUSDT", [2: (.long, nil)])], dataFiles: [],
                                       outputDirectory: directory + "/run", store: nil,
                                       createStore: { created = true; return InMemoryTradeStore() })
        }
        #expect(!created)
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
    }

    @Test func aCompletedBacktestCreatesItsStore() throws {
        let directory = Integration.temporaryDirectory("created")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let settings = StorageSettings(backend: .sqlite, path: directory + "/qt.sqlite")
        let store = try TradeStoreFactory.backtestStore(settings)
        _ = try BacktestRunner.run(config: try BacktestRunnerTests.config(), dataFiles: [BacktestRunnerTests.link],
                                   outputDirectory: directory + "/run", store: store.existing, createStore: store.create)
        let reader = try TradeStoreFactory.openReadOnly(sqlitePath: directory + "/qt.sqlite")
        #expect(try reader.runs().count == 1)
    }
}

/// The kline header, for files written by tests.
enum CandleHeader {
    static let line = "open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume"
}
