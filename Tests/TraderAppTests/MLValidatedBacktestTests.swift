import Foundation
import Signals
import Testing
import TradingConfig
import TradingEngine
import TradingModel
import TraderApp
import TradingTestSupport
import Backtest

/// `qt backtest` with `[strategy] name = "ml-ensemble"` through the shared wiring: every entry
/// gate × exit policy, and the product flow (model → validator → exit engine), on the tiny
/// FILUSDT model of `MLBacktestTests` (out of sample: 2023-02-16..28).
@Suite(.serialized, .ownThread) struct MLValidatedBacktestTests {
    /// The validator's confidence floor, above the model's own threshold (0.5): signals between
    /// them reach the validator and must be rejected for their confidence.
    static let minimumConfidence = 0.55

    static func config(model: String, gate: String, policy: String, storePath: String? = nil) throws -> AppConfig {
        let text = """
        \(storePath.map { "[storage]\npath = \"\($0)\"" } ?? "")
        [execution]
        policy = "\(policy)"
        [strategy]
        name = "ml-ensemble"
        entry_gate = "\(gate)"
        model_dir = "\(model)"
        threshold = 0.5
        stop_loss = 0.004
        take_profit = 0.004
        [validation]
        min_confidence = \(minimumConfidence)
        funding_check = false
        trend_check = false
        regime_check = false
        correlation_check = false
        [exit]
        stop_move = 0.004
        base_target_move = 0.004
        [backtest]
        default_leverage = 20
        """
        return try AppConfig(from: try ConfigDocument.parse(text: text, file: "ml-validated-test.toml"))
    }

    @Test(arguments: [("fixed-notional", "reference-bracket"), ("fixed-notional", "exit-engine"),
                      ("validator", "reference-bracket"), ("validator", "exit-engine")])
    func everyGateAndPolicyTradesOnlyTheModelsSignals(gate: String, policy: String) throws {
        let (model, later) = try MLBacktestTests.prepared.get()
        let out = MLBacktestTests.base + "/run-wired-\(gate)-\(policy)"
        let result = try BacktestRunner.run(config: try Self.config(model: model, gate: gate, policy: policy), dataFiles: [later],
                                            outputDirectory: out)
        let version = try SignalEnsemble.load(directory: model).version
        #expect(!result.signals.isEmpty && !result.output.decisions.isEmpty && !result.output.trades.isEmpty)
        let produced = Set(result.signals)
        #expect(result.output.decisions.allSatisfy { produced.contains(MLBacktestTests.judged($0.decision)) })
        #expect(result.signals.allSatisfy { $0.source == "ml-ensemble@\(version)" })
        // The wiring named in the file, and what it reports.
        #expect((policy == "exit-engine") == !result.exitMetricsLines.isEmpty)
        #expect((gate == "validator") == !result.rejectionTable.isEmpty)
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(report.contains("ml-ensemble@\(version) backtest (\(policy), \(gate))"))
        let csv = try String(contentsOfFile: out + "/signals.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count == result.signals.count + 1)
        #expect(result.notes.contains { $0.contains("(out of sample)") })
        #expect(result.notes.contains { $0.hasPrefix("model answers") })
    }

    /// The product flow: the model proposes with its calibrated confidence, the validator judges
    /// it (every signal below `min_confidence` rejected for it, none above), the exit engine owns
    /// the approved positions; all of it in the report, `signals.csv` and the store.
    @Test func theValidatorJudgesTheModelsConfidenceAndTheExitEngineOwnsThePositions() throws {
        let (model, later) = try MLBacktestTests.prepared.get()
        let out = MLBacktestTests.base + "/run-validated"
        let storePath = MLBacktestTests.base + "/validated.sqlite"
        try? FileManager.default.removeItem(atPath: storePath)
        let config = try Self.config(model: model, gate: "validator", policy: "exit-engine", storePath: storePath)
        let store = try TradeStoreFactory.make(config.storage, forBacktest: true)
        let result = try BacktestRunner.run(config: config, dataFiles: [later], outputDirectory: out, store: store)
        let decisions = result.output.decisions
        var confidenceRejections = 0
        var approvals = 0
        for decision in decisions {
            let signal = MLBacktestTests.judged(decision.decision)
            let confidence = try #require(signal.confidence)
            #expect(confidence >= 0.5)  // the model's own threshold
            switch decision.decision {
            case .approved:
                approvals += 1
                #expect(confidence >= Self.minimumConfidence)
            case .rejected(_, let reasons):
                let forConfidence = reasons.contains { $0.description.hasPrefix("confidenceBelowThreshold(") }
                #expect(forConfidence == (confidence < Self.minimumConfidence), "\(signal): \(reasons)")
                if forConfidence { confidenceRejections += 1 }
            }
        }
        #expect(confidenceRejections > 0 && approvals > 0)
        #expect(!result.output.trades.isEmpty)
        // The exit engine's metrics and the validator's rejection table, in the terminal and the run folder.
        #expect(result.exitMetricsLines.contains { $0.contains("stop") })
        #expect(result.rejectionTable.contains("signals evaluated \(decisions.count), taken \(approvals)"))
        #expect(result.rejectionTable.contains("confidence_below_threshold"))
        #expect(FileManager.default.fileExists(atPath: out + "/exit_metrics.txt"))
        let rejections = try String(contentsOfFile: out + "/rejections.txt", encoding: .utf8)
        #expect(rejections.contains("confidence_below_threshold"))
        let csv = try String(contentsOfFile: out + "/signals.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").filter { $0.hasSuffix(",rejected") }.count == decisions.count - approvals)
        // The store: the run under the model's version and wiring, each decision with its reasons
        // and the model's confidence, the exit engine's orders (entry, backstop, closes).
        let version = try SignalEnsemble.load(directory: model).version
        let run = try #require(try store.runs().first)
        #expect(run.detail.hasPrefix("ml-ensemble@\(version)/validator/exit-engine on FILUSDT"))
        let records = try store.decisions(runID: try #require(run.id))
        #expect(records.count == decisions.count)
        #expect(records.map(\.signal) == decisions.map { MLBacktestTests.judged($0.decision) })
        #expect(records.filter { $0.reasons.contains { $0.description.hasPrefix("confidenceBelowThreshold(") } }.count == confidenceRejections)
        let fills = try store.fills(runID: try #require(run.id))
        #expect(fills.count >= 2 * result.output.trades.count)
    }

    /// examples/ml-validated.toml: the product flow's wiring, a validator confidence floor above
    /// the model's threshold, and the exit engine trading the model's label barriers.
    @Test func theExampleWiresTheModelThroughTheValidatorAndTheExitEngine() throws {
        let config = try AppConfig.load(path: BacktestConfigTests.root + "/examples/ml-validated.toml")
        let strategy = try #require(config.strategy)
        let ml = try #require(strategy.mlEnsemble)
        #expect(strategy.name == .mlEnsemble && strategy.entryGate == .validator && config.execution.policy == .exitEngine)
        #expect(config.validation.confidence.isEnabled && config.validation.confidence.minimum > ml.threshold)
        #expect(config.exit.stopPolicy == .fixedPriceMove(strategy.stopLoss) && config.exit.baseTargetMove == strategy.takeProfit)
        // The label barriers of the model it names (config/train-fil.toml [train.labels]).
        let train = try String(contentsOfFile: BacktestConfigTests.root + "/config/train-fil.toml", encoding: .utf8)
        #expect(train.contains("take_profit_price_move = \(strategy.takeProfit)") && train.contains("stop_price_move = \(strategy.stopLoss)"))
        #expect(ml.modelDirectory == "runs/model-fil")
    }
}
