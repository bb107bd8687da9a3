import Foundation
import Storage
import Testing
import TraderApp
import TradingEngine

/// `qt backtest --no-store` (sweeps): the run folder is written, the store is neither created
/// nor changed, and an existing store's manual halt still refuses every entry.
@Suite struct QTBacktestNoStoreTests {
    static let config = BacktestConfigTests.root + "/examples/ema-cross.toml"
    static let link = BacktestStoreRecordingTests.link

    @Test func noStoreWritesTheRunFolderAndNeitherCreatesNorChangesTheStore() throws {
        try #require(FileManager.default.isExecutableFile(atPath: QTCommandLineTests.binary), "qt is built next to the tests")
        let directory = Integration.temporaryDirectory("cli-no-store")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/qt.sqlite"

        let sweep = try QTCommandLineTests.qt(["backtest", "--config", Self.config, "--data", Self.link, "--out", "sweep", "--no-store"],
                                              in: directory)
        #expect(sweep.status == 0, "\(sweep.err)")
        #expect(sweep.out.contains("store:  not recorded (--no-store)"))
        #expect(FileManager.default.fileExists(atPath: directory + "/sweep/trades.csv"))
        #expect(!FileManager.default.fileExists(atPath: store))

        // The default records the run; a later --no-store run leaves the store byte-identical.
        let recorded = try QTCommandLineTests.qt(["backtest", "--config", Self.config, "--data", Self.link, "--out", "recorded"], in: directory)
        #expect(recorded.status == 0, "\(recorded.err)")
        #expect(try SQLiteTradeStore(readOnlyPath: store).runs().count == 1)
        let halt = try QTCommandLineTests.qt(["risk", "halt", "--db", "qt.sqlite", "--reason", "desk closed"], in: directory)
        #expect(halt.status == 0, "\(halt.err)")
        let bytes = try #require(FileManager.default.contents(atPath: store))

        let halted = try QTCommandLineTests.qt(["backtest", "--config", Self.config, "--data", Self.link, "--out", "halted", "--no-store"],
                                               in: directory)
        #expect(halted.status == 0, "\(halted.err)")
        #expect(halted.out.contains("HALTED"))
        let trades = try String(contentsOfFile: directory + "/halted/trades.csv", encoding: .utf8)
        #expect(trades.split(separator: "\n").count == 1, "only the header: the halt refused every entry")
        #expect(FileManager.default.contents(atPath: store) == bytes)
        #expect(try SQLiteTradeStore(readOnlyPath: store).runs().count == 1)
    }
}
