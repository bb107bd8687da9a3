import Foundation
import Signals
import Testing
import TradingModel

@Suite(.serialized) struct WalkForwardTests {
    static let symbol: Symbol = "TESTUSDT"

    static func dataset(_ candles: [Candle]) throws -> SignalDataset {
        try SignalDataset.build(candles: [symbol: candles], featureSet: .standard(marketContext: false),
                                labelSettings: SyntheticMarket.testLabels, decisionIntervalMinutes: 5, contextSource: nil)
    }

    /// Persistent drift regimes (a known edge) are found: out-of-sample, some threshold beats
    /// every baseline after fees.
    @Test func findsAPlantedEdge() throws {
        let candles = SyntheticMarket.candles(seed: 31, count: 14_000, regimeDrift: 0.00012, regimeMinutes: 600)
        let data = try Self.dataset(candles)
        let report = try EnsembleTrainer.walkForward(dataset: data, plan: SyntheticMarket.plan(), symbols: [Self.symbol])
        #expect(report.edgeFound, "\(report.verdict)")
        let best = report.pooled.ensemble.thresholds.filter(\.beatsBaselines).compactMap(\.expectancy).max() ?? 0
        #expect(best > 0)
        #expect(report.pooled.ensemble.metrics.accuracy > report.pooled.baselines.first { $0.name == "coin-flip" }!.accuracy)
        #expect(report.folds.count == 3)
        #expect(report.folds.allSatisfy { $0.purgedSamples > 0 })
    }

    /// A seeded random walk has no edge, and the report says so plainly.
    @Test func reportsNoEdgeOnARandomWalk() throws {
        let candles = SyntheticMarket.candles(seed: 32, count: 14_000)
        let data = try Self.dataset(candles)
        let report = try EnsembleTrainer.walkForward(dataset: data, plan: SyntheticMarket.plan(), symbols: [Self.symbol])
        #expect(!report.edgeFound)
        #expect(report.verdict.hasPrefix("No confidence threshold beats the naive baselines after fees"))
        #expect(report.pooled.ensemble.thresholds.allSatisfy { !$0.beatsBaselines })
        // the rendered reports say so, never call in-sample figures accuracy, and carry both charts
        let html = ReportHTML.render(report)
        #expect(html.contains("No confidence threshold beats the naive baselines after fees"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        let text = ReportText.lines(report).joined(separator: "\n")
        #expect(text.contains("ALL FIGURES BELOW ARE OUT-OF-SAMPLE"))
        #expect(!text.lowercased().contains("in-sample accuracy"))
        #expect(DecisionRule.reportThresholds.count == 10 && report.pooled.ensemble.thresholds.map(\.threshold) == DecisionRule.reportThresholds)
    }
}
