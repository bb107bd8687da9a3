import TradingModel

/// The `ml-ensemble` strategy: one-minute candles in, `Signal`s out.
///
/// Per symbol it runs the same `FeatureEngine` as training; on decision bars (closes on
/// multiples of the model's decision interval) it asks the ensemble and applies `DecisionRule`.
/// No hidden signal sources: below the threshold, when the calibrated classes disagree, or when
/// the model cannot predict, there is no signal — prediction errors are thrown, never replaced
/// by a rule or a default. Every signal carries `ml-ensemble@<model version>` and the hash of
/// its feature vector.
///
/// Feed every loaded symbol's candles (the market context is built from them: the reference
/// symbol or the basket recorded in the manifest). Context features use the previous minute's
/// context, so the order of symbols within a minute does not matter; a member missing from the
/// feed leaves the context stale and prediction is refused.
public struct MLEnsembleStrategy {
    public static let name = "ml-ensemble"

    public let ensemble: SignalEnsemble
    /// Minimum calibrated probability of the chosen side.
    public let threshold: Double
    private var pipeline: FeaturePipeline
    /// Past decision-bar vectors per symbol for the deep members (nil without one).
    private var history: DecisionHistory?

    /// - Parameters:
    ///   - period: the period this run covers; it must not overlap the model's training window
    ///     (plus its label horizon), because in-sample signals look better than they are.
    ///   - force: run anyway on an overlapping period (results are then in-sample; say so).
    /// - Throws: `MLStrategyError`.
    public init(ensemble: SignalEnsemble, threshold: Double, periodStart: Timestamp, periodEnd: Timestamp,
                force: Bool = false) throws(MLStrategyError) {
        guard threshold >= 0.5, threshold < 1 else { throw .invalidThreshold(threshold) }
        let manifest = ensemble.manifest
        if !force && manifest.overlapsTraining(start: periodStart, end: periodEnd) {
            throw .periodOverlapsTraining(periodStart: periodStart, periodEnd: periodEnd, trainingStart: manifest.trainingStart,
                                          trainingEnd: manifest.trainingEnd)
        }
        self.ensemble = ensemble
        self.threshold = threshold
        pipeline = FeaturePipeline(featureSet: manifest.featureSet, contextSource: manifest.marketContext, restartsAtGaps: true)
        history = ensemble.makeHistory()
    }

    /// Feature restarts at gaps so far (`FeaturePipeline.restartsAtGaps`) and the last one.
    public var featureRestarts: (count: Int, last: (symbol: Symbol, openTime: Timestamp, missingMinutes: Int)?) {
        (pipeline.restarts, pipeline.lastRestart)
    }

    /// Processes the next one-minute candle of `symbol`.
    /// - Returns: a signal, or nil (warm-up, not a decision bar, or no confident side).
    /// - Throws: out-of-order candles, missing or mismatched features, model failures.
    public mutating func onCandle(_ candle: Candle, symbol: Symbol, funding: Rate? = nil) throws -> Signal? {
        try onCandleWithOutcome(candle, symbol: symbol, funding: funding).signal
    }

    /// `onCandle`, also telling whether the ensemble was asked (a decision bar with features) and
    /// what it answered: `probabilities` non-nil and `signal` nil is an abstention.
    public mutating func onCandleWithOutcome(_ candle: Candle, symbol: Symbol,
                                             funding: Rate? = nil) throws -> (signal: Signal?, probabilities: ClassProbabilities?) {
        let vector = try pipeline.onCandle(candle, symbol: symbol, funding: funding)
        let intervalMs = Int64(ensemble.manifest.decisionIntervalMinutes) * 60_000
        guard let vector, vector.time.milliseconds % intervalMs == 0 else { return (nil, nil) }
        history?.record(vector, symbol: symbol)
        let probabilities = try ensemble.predictProbabilities(vector, symbol: symbol, history: history)
        guard let side = DecisionRule.decide(probabilities, threshold: threshold) else { return (nil, probabilities) }
        return (Signal(symbol: symbol, side: side, confidence: probabilities[SignalClass(side)], time: vector.time,
                       source: "\(Self.name)@\(ensemble.version)", featureHash: vector.hash), probabilities)
    }
}

@available(*, unavailable, message: "holds models wrapping C handles")
extension MLEnsembleStrategy: Sendable {}

/// Why the `ml-ensemble` strategy refuses to start.
public enum MLStrategyError: Error, Sendable, Hashable, CustomStringConvertible {
    case periodOverlapsTraining(periodStart: Timestamp, periodEnd: Timestamp, trainingStart: Timestamp, trainingEnd: Timestamp)
    case invalidThreshold(Double)

    public var description: String {
        switch self {
        case let .periodOverlapsTraining(periodStart, periodEnd, trainingStart, trainingEnd):
            "period \(periodStart)...\(periodEnd) overlaps the model's training window \(trainingStart)...\(trainingEnd) "
                + "(plus label horizon): results would be in-sample. Use a later period, or force it and label the results in-sample."
        case let .invalidThreshold(value): "confidence threshold \(value) must be in [0.5, 1)"
        }
    }
}
