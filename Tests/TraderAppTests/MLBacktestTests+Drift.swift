import Foundation
import Signals
import Testing
import TraderApp
import Backtest
import TradingEngine
import TradingModel

extension MLBacktestTests {
    /// The drift check of an `ml-ensemble` backtest: the run's coverage at the traded threshold
    /// against the walk-forward's in the model's report.json; without one the notes say so.
    @Test func aBacktestChecksItsCoverageAgainstTheWalkForward() throws {
        let (model, later) = try Self.prepared.get()
        let plain = try BacktestRunner.run(config: try Self.config(model: model), dataFiles: [later], outputDirectory: Self.base + "/run-drift-none")
        #expect(plain.notes.contains { $0.hasPrefix("drift check       none") })
        let answers = try #require(plain.notes.first { $0.hasPrefix("model answers") })
        let decisionBars = try #require(Int(answers.split(separator: " ").dropFirst(2).first ?? ""))
        #expect(decisionBars >= CoverageDrift.minimumDecisionBars)
        let observed = Double(plain.signals.count) / Double(decisionBars)

        // The same model with a report whose walk-forward signalled far more (or far less) often at 0.50.
        let copy = Self.base + "/model-with-report"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: model, toPath: copy)
        let (plan, dataset) = try Self.trainingSet()
        var report = try EnsembleTrainer.walkForward(dataset: dataset, plan: plan, symbols: ["FILUSDT"])
        report.pooled.ensemble.thresholds[0].summary.coverage = observed >= 0.075 ? observed / 3 : observed + 0.5
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: URL(fileURLWithPath: copy + "/report.json"))
        let drifted = try BacktestRunner.run(config: try Self.config(model: copy), dataFiles: [later], outputDirectory: Self.base + "/run-drift")
        #expect(drifted.signals == plain.signals)
        #expect(drifted.notes.contains { $0.hasPrefix("drift check       coverage at >= 0.50") && $0.hasSuffix("DRIFTED") }, "\(drifted.notes)")
        #expect(drifted.notes.contains { $0.hasPrefix("WARNING: the model signals at a rate its walk-forward never saw") })
        #expect(drifted.output.alerts.contains { $0.kind == MLSignalSource.coverageDriftAlert })
        #expect(!plain.output.alerts.contains { $0.kind == MLSignalSource.coverageDriftAlert })
    }
}
