import Dashboard
import Foundation
import Signals
import Testing
@testable import TraderApp
import TradingModel

extension MLBacktestTests {
    /// The dashboard's model section reads a real walk-forward report.json: accuracy beside the
    /// majority-class and always-flat baselines, the chosen threshold's trades with their
    /// day-block interval, each trading baseline, and the report's verdict.
    @Test func theDashboardShowsTheModelsOutOfSampleFiguresBesideTheBaselines() throws {
        // Not under `base`: other suites' first use of `prepared` deletes `base` while this runs.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-ml-dashboard-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (plan, dataset) = try Self.trainingSet()
        let report = try EnsembleTrainer.walkForward(dataset: dataset, plan: plan, symbols: ["FILUSDT"])
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: URL(fileURLWithPath: directory + "/report.json"))

        let view = DashboardModelInfo.mlView(directory: directory, threshold: 0.6, gate: "validator")
        let figures = Dictionary(view.figures.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(view.verdict == report.verdict)
        #expect(figures["pooled out-of-sample samples"] == "\(report.pooled.testSamples)")
        #expect(figures["majority-class accuracy (same samples)"] == DashboardModelInfo.percent(report.pooled.majorityClassAccuracy))
        #expect(figures["always-flat accuracy (same samples)"] == DashboardModelInfo.percent(report.pooled.alwaysFlatAccuracy))
        let chosen = try #require(figures["chosen threshold: trades, expectancy per trade (95% day-block interval)"])
        #expect(chosen.hasPrefix("\(report.chosen.summary.trades), "))
        #expect(report.chosen.baselines.count >= 1)
        for baseline in report.chosen.baselines {
            #expect(figures["baseline \(baseline.name): expectancy per trade"] == DashboardModelInfo.returnText(baseline.comparableExpectancy))
        }
        #expect(view.figures.filter { $0.name.hasPrefix("fold ") }.count == report.folds.count)
    }
}
