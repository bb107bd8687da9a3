import Foundation
import Testing
import TraderApp
import TradingModel
import TradingTestSupport
import Backtest

/// `qt backtest --symbol`: a candle file named otherwise than Binance's `SYMBOL-INTERVAL-…`
/// (an export, a renamed download) backtests once its symbol is given; without it the refusal
/// says how to give it; a file whose Binance-style name says another symbol is refused.
@Suite(.ownThread) struct BacktestSymbolOptionTests {
    static let link = BacktestRunnerTests.link

    /// A copy of the bundled LINKUSDT month under a name with neither symbol nor interval.
    static func renamedCopy(in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/chainlink export (feb).csv.gz"
        try FileManager.default.copyItem(atPath: link, toPath: path)
        return path
    }

    @Test func aFileNamedOtherwiseIsRefusedWithTheWayOut() throws {
        let directory = Integration.temporaryDirectory("symbol-refused")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let renamed = try Self.renamedCopy(in: directory)
        let error = try #require(throws: BacktestRunError.self) {
            try BacktestRunner.run(config: try BacktestRunnerTests.config(), dataFiles: [renamed], outputDirectory: directory + "/run")
        }
        #expect(error.message.contains("cannot tell the symbol from the file name"))
        #expect(error.message.contains("--symbol SYMBOL"))
        #expect(error.message.contains(renamed))
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
    }

    @Test func theGivenSymbolTradesTheRenamedFileExactlyLikeTheOriginal() throws {
        let directory = Integration.temporaryDirectory("symbol-given")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let renamed = try Self.renamedCopy(in: directory)
        var config = try BacktestRunnerTests.config()
        config.backtest.dataSymbol = "LINKUSDT"
        let given = try BacktestRunner.run(config: config, dataFiles: [renamed], outputDirectory: directory + "/given")
        let original = try BacktestRunner.run(config: try BacktestRunnerTests.config(), dataFiles: [Self.link],
                                              outputDirectory: directory + "/original")
        #expect(given.symbols == ["LINKUSDT"])
        #expect(given.output.bars == original.output.bars)
        #expect(!original.output.trades.isEmpty)
        #expect(given.output.trades == original.output.trades)
    }

    @Test func aBinanceNameForAnotherSymbolIsRefused() throws {
        let directory = Integration.temporaryDirectory("symbol-conflict")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = try BacktestRunnerTests.config()
        config.backtest.dataSymbol = "FILUSDT"
        let error = try #require(throws: BacktestRunError.self) {
            try BacktestRunner.run(config: config, dataFiles: [Self.link], outputDirectory: directory + "/run")
        }
        #expect(error.message.contains("the file name says LINKUSDT, --symbol says FILUSDT"))
        // The same symbol as the name says is accepted (the option may be given for every file).
        config.backtest.dataSymbol = "LINKUSDT"
        let same = try BacktestRunner.run(config: config, dataFiles: [Self.link], outputDirectory: directory + "/same")
        #expect(same.symbols == ["LINKUSDT"])
    }

    @Test func theCommandLineTakesTheSymbolAndRefusesANonSymbol() throws {
        try #require(FileManager.default.isExecutableFile(atPath: QTCommandLineTests.binary), "qt is built next to the tests")
        let directory = Integration.temporaryDirectory("cli-symbol")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let renamed = try Self.renamedCopy(in: directory)
        let config = BacktestRunnerTests.root + "/examples/ema-cross.toml"

        let refused = try QTCommandLineTests.qt(["backtest", "--config", config, "--data", renamed, "--out", "refused"], in: directory)
        #expect(refused.status != 0)
        #expect(refused.err.contains("give it with --symbol SYMBOL"), "\(refused.err)")

        let lower = try QTCommandLineTests.qt(["backtest", "--config", config, "--data", renamed, "--symbol", "linkusdt"], in: directory)
        #expect(lower.status != 0)
        #expect(lower.err.contains("--symbol 'linkusdt' is not a symbol"), "\(lower.err)")

        let given = try QTCommandLineTests.qt(["backtest", "--config", config, "--data", renamed, "--symbol", "LINKUSDT", "--out", "given"],
                                              in: directory)
        #expect(given.status == 0, "\(given.err)")
        #expect(given.out.contains("backtest: LINKUSDT (1 file)"))
        #expect(FileManager.default.fileExists(atPath: directory + "/given/trades.csv"))
    }
}
