import Foundation
import Signals
import TradingEngine
import TradingModel

/// Builds the `ml-ensemble` strategy of a backtest: loads and checks the model directory, refuses
/// a period that overlaps the training window (unless forced), and makes one
/// `MLEnsembleSymbolStrategy` per symbol over a shared `MLSignalSource`. Every check runs before
/// the replay, so a refused run writes nothing.
public enum MLStrategyFactory {
    /// A strategy ready to replay, with what the run should say about it.
    public struct Prepared {
        public var source: MLSignalSource
        public var strategies: [MLEnsembleSymbolStrategy]
        /// True when the period overlaps training and the run was forced (results are in-sample).
        public var inSample: Bool
        /// Lines for the terminal and the report title (model, windows, threshold).
        public var notes: [String]
    }

    /// Loads `directory` and checks that this build computes the model's features.
    /// - Throws: `MLBacktestError.modelUnavailable` / `.featureMismatch`.
    public static func loadModel(directory: String) throws(MLBacktestError) -> SignalEnsemble {
        // The manifest's feature set first: a model for other features is refused as such,
        // whatever else the loader would find.
        let manifestPath = directory + "/" + EnsembleManifest.fileName
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw .modelUnavailable(directory: directory, reason: "\(manifestPath) not found; train a model with `qt train` first")
        }
        let manifest: EnsembleManifest
        do { manifest = try JSONDecoder().decode(EnsembleManifest.self, from: data) } catch {
            throw .modelUnavailable(directory: directory, reason: "\(manifestPath) is unreadable: \(error)")
        }
        try checkFeatures(manifest.featureSet, context: manifest.marketContext, directory: directory)
        let ensemble: SignalEnsemble
        do {
            ensemble = try SignalEnsemble.load(directory: directory)
        } catch let error as SignalsError {
            if case .featureMismatch(let message) = error { throw .featureMismatch(directory: directory, reason: message) }
            if case .modelFile(_, let message) = error, message.contains("features") {
                throw .featureMismatch(directory: directory, reason: error.description)
            }
            throw .modelUnavailable(directory: directory, reason: error.description)
        } catch {
            throw .modelUnavailable(directory: directory, reason: "\(error)")
        }
        try checkFeatures(ensemble.featureSet, context: ensemble.manifest.marketContext, directory: directory)
        return ensemble
    }

    /// The model's feature set must be one `FeatureEngine` computes, exactly (names, order,
    /// version); a context feature set needs a context source. Pure.
    public static func checkFeatures(_ featureSet: FeatureSet, context: MarketContextSource?, directory: String) throws(MLBacktestError) {
        let usesContext = featureSet.name == FeatureSet.standard(marketContext: true).name
        let expected = FeatureSet.standard(marketContext: usesContext)
        if let mismatch = expected.mismatch(with: featureSet) { throw .featureMismatch(directory: directory, reason: mismatch) }
        if featureSet.optionalNames != expected.optionalNames {
            throw .featureMismatch(directory: directory, reason: "optional features \(featureSet.optionalNames) differ from \(expected.optionalNames)")
        }
        if usesContext && context == nil {
            throw .featureMismatch(directory: directory, reason: "feature set \(featureSet) has market-context features but the manifest names no context source")
        }
    }

    /// Checks the run against the model and builds the per-symbol strategies.
    /// - Parameters:
    ///   - symbols: the backtest's symbols (all of them feed the features; each trades).
    ///   - periodStart/periodEnd: first and last candle open time of the data.
    ///   - barInterval: the data's bar interval (must be one minute).
    public static func prepare(ensemble: SignalEnsemble, settings: MLEnsembleSettings, stopLoss: Rate, takeProfit: Rate,
                               symbols: [Symbol], periodStart: Timestamp, periodEnd: Timestamp,
                               barInterval: Duration) throws(MLBacktestError) -> Prepared {
        let directory = settings.modelDirectory
        let manifest = ensemble.manifest
        guard barInterval == .seconds(60) else { throw .notOneMinuteData(intervalSeconds: barInterval.components.seconds) }
        if let context = manifest.marketContext {
            let missing = context.members.filter { !symbols.contains($0) }
            if !missing.isEmpty { throw .contextSymbolsMissing(directory: directory, needed: context.members, loaded: symbols) }
        }
        try checkLevel("stop_loss", configured: stopLoss, labelled: manifest.labelSettings.stopPriceMove, directory: directory)
        try checkLevel("take_profit", configured: takeProfit, labelled: manifest.labelSettings.takeProfitPriceMove, directory: directory)
        let horizonEnd = Timestamp(milliseconds: manifest.trainingEnd.milliseconds + Int64(manifest.labelSettings.horizonBars) * 60_000 + 60_000)
        let overlaps = manifest.overlapsTraining(start: periodStart, end: periodEnd)
        if overlaps && !settings.forceOverlap {
            throw .periodOverlapsTraining(periodStart: periodStart, periodEnd: periodEnd, trainingStart: manifest.trainingStart,
                                          trainingEnd: manifest.trainingEnd, labelHorizonEnd: horizonEnd, modelDirectory: directory)
        }
        let strategy: MLEnsembleStrategy
        do {
            strategy = try MLEnsembleStrategy(ensemble: ensemble, threshold: settings.threshold, periodStart: periodStart,
                                              periodEnd: periodEnd, force: settings.forceOverlap)
        } catch {
            // Threshold out of range (the config mapping already limits it) or the same overlap.
            throw .modelUnavailable(directory: directory, reason: error.description)
        }
        let source = MLSignalSource(strategy: strategy)
        let report = try? EvaluationReport.read(directory: directory)
        source.coverageReference = report?.coverageReference
        source.finalCoverage = report?.finalCoverage
        var notes = [
            "model             \(MLEnsembleStrategy.name)@\(ensemble.version) (\(manifest.members.joined(separator: " + ")), \(manifest.featureSet))",
            "training window   \(manifest.trainingStart) ... \(manifest.trainingEnd) (labels to \(horizonEnd))",
            "data period       \(periodStart) ... \(periodEnd) " + (overlaps ? "IN-SAMPLE (overlap forced)" : "(out of sample)"),
            "threshold         \(settings.threshold) (decision every \(manifest.decisionIntervalMinutes) min)",
        ]
        if let context = manifest.marketContext { notes.append("market context    \(context)") }
        notes.append(report == nil ? "drift check       none (no readable report.json in the model directory)"
                                   : "drift check       coverage per threshold against the walk-forward's (report.json)")
        if overlaps {
            notes.insert("WARNING: IN-SAMPLE results: the model was trained on part of this period, so they overstate what it "
                         + "would have earned; do not quote them as performance", at: 0)
        }
        return Prepared(source: source, strategies: symbols.map { MLEnsembleSymbolStrategy(symbol: $0, source: source) },
                        inSample: overlaps, notes: notes)
    }

    /// The traded stop/target must be the label barriers (to 10⁻⁸), else the model answers another question.
    static func checkLevel(_ key: String, configured: Rate, labelled: Double, directory: String) throws(MLBacktestError) {
        let configuredValue = configured.doubleValue
        if abs(configuredValue - labelled) > 1e-8 {
            throw .exitLevelsDiffer(directory: directory, key: key, configured: configuredValue, labelled: labelled)
        }
    }
}

@available(*, unavailable, message: "holds the non-Sendable MLSignalSource")
extension MLStrategyFactory.Prepared: Sendable {}
