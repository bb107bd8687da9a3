import Foundation
import Testing
import TradingConfig
import TraderApp
import TradingTestSupport

/// A configuration that asks for a legacy / no-policy exit, or names no exit owner at all, is
/// refused at start-up with an error naming the key: positions never run without an owner.
@Suite(.ownThread) struct FailClosedStartupTests {
    static let strategy = """
        [strategy]
        name = "ema-cross"
        entry_gate = "fixed-notional"
        notional = 1000
        leverage = 1
        stop_loss = 0.012
        take_profit = 0.0186
        """

    /// Loads `text` from a file the way `qt backtest --config` does and returns the error text.
    static func startupError(_ text: String) throws -> String {
        let directory = Integration.temporaryDirectory("failclosed")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let config = try AppConfig.load(path: path)
            _ = try BacktestRunner.run(config: config, dataFiles: [BacktestRunnerTests.link], outputDirectory: directory + "/run")
        } catch {
            #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
            return "\(error)"
        }
        Issue.record("the configuration was accepted")
        return ""
    }

    @Test(arguments: ["legacy", "none", "legacy-no-policy", ""])
    func anUnknownOrLegacyPolicyIsRefusedNamingTheKey(policy: String) throws {
        let message = try Self.startupError("[execution]\npolicy = \"\(policy)\"\n" + Self.strategy)
        #expect(message.contains("[execution] policy") || message.contains("execution.policy"))
        #expect(message.contains("exit-engine"))
    }

    @Test func theLegacyExecutorIsNamedAsTheOneThatNeverEnforcedItsStop() throws {
        let message = try Self.startupError("[execution]\npolicy = \"legacy\"\n" + Self.strategy)
        #expect(message.contains("never enforced its stop-loss"))
    }

    @Test func aMissingPolicyIsRefusedNamingTheKey() throws {
        let message = try Self.startupError("[execution]\n# no policy\n" + Self.strategy)
        #expect(message.contains("policy"))
    }

    @Test func aMissingExecutionSectionIsRefusedNamingTheKey() throws {
        let message = try Self.startupError(Self.strategy)
        #expect(message.contains("policy"))
    }

    @Test func anUnknownEntryGateIsRefusedNamingTheKey() throws {
        let text = "[execution]\npolicy = \"exit-engine\"\n" + Self.strategy.replacingOccurrences(of: "fixed-notional", with: "always-approve")
        let message = try Self.startupError(text)
        #expect(message.contains("entry_gate"))
    }
}
