import TradingConfig
import Foundation
import Testing
import TraderApp
import TradingModel
import Backtest
import TradingEngine

/// The backtest and strategy sections: the shipped example maps exactly; strategy and entry gate
/// are never defaulted.
@Suite struct BacktestConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theEMACrossExampleMapsToTheReferenceSettings() throws {
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross.toml")
        let strategy = try #require(config.strategy)
        #expect(strategy.name == .emaCross && strategy.entryGate == .fixedNotional)
        #expect(strategy.notional == 1000 && strategy.leverage == 1)
        #expect(strategy.stopLoss == Rate("0.012")! && strategy.takeProfit == Rate("0.0186")!)
        #expect(!strategy.roundToExchangeGrid)
        #expect(config.backtest.fees.takerRate == Rate("0.0004")!)
        #expect(config.backtest.funding == .none && config.backtest.slippageBasisPoints == 0)
        #expect(config.execution.policy == .referenceBracket)
    }

    @Test func theDefaultsFileHasTheInCodeDefaults() throws {
        let config = try AppConfig.load(path: Self.root + "/config/default.toml")
        #expect(config.strategy == nil)
        #expect(config.backtest.fees.makerRate == Rate("0.0002")! && config.backtest.fees.takerRate == Rate("0.0005")!)
        #expect(config.backtest.initialBalance == 10_000)
        #expect(config.backtest.path == .pessimistic)
    }

    @Test func aStrategyWithoutAnEntryGateIsAnError() throws {
        let text = """
        [execution]
        policy = "reference-bracket"
        [strategy]
        name = "ema-cross"
        """
        let document = try ConfigDocument.parse(text: text, file: "test.toml")
        #expect(throws: ConfigErrorList.self) { try AppConfig(from: document) }
    }

    @Test func anUnknownBacktestKeyIsAnError() throws {
        let text = """
        [execution]
        policy = "reference-bracket"
        [backtest]
        slipage_bps = 2
        """
        let document = try ConfigDocument.parse(text: text, file: "test.toml")
        #expect(throws: ConfigErrorList.self) { try AppConfig(from: document) }
    }
}
