import TradingEngine
import TradingModel

/// The one `MLEnsembleStrategy` (feature pipeline + ensemble) shared by every symbol of a run,
/// behind the kernel's one-strategy-per-symbol seam (`MLEnsembleSymbolStrategy`).
///
/// Why a reference type: the features are cross-symbol (the market context is built from every
/// loaded symbol's candles), so the kernel's per-symbol strategy values must feed one pipeline.
/// Why that is safe without a lock: the class is deliberately not `Sendable` (it holds models
/// wrapping C handles), so the compiler keeps it on the thread that built it; the backtest
/// replay is synchronous and single-threaded and calls `onBar` for one symbol at a time, in
/// (open time, symbol) order — the same order `SignalDataset.build` used in training. Copying a
/// kernel copies the reference, not the pipeline: one source belongs to exactly one run.
///
/// Fail closed: a model error, a missing or mismatched feature, or an out-of-order candle gives
/// no signal and a critical alert (`ml.missing_features`, `ml.model_error`). Nothing replaces
/// the model's answer.
public final class MLSignalSource {
    /// Alert kind when a required feature is NaN (e.g. a stale market context).
    public static let missingFeaturesAlert = AlertKind.missingFeatures
    /// Alert kind for any other prediction failure (library, mismatch, order of candles).
    public static let modelErrorAlert = AlertKind.modelError

    private var strategy: MLEnsembleStrategy
    /// Every signal the model produced, in order (whether or not the gate then approved it).
    public private(set) var signals: [Signal] = []
    /// Alert kind when minutes are missing before a candle: that symbol's features restart and it
    /// has no signal until its lookback is complete again (warning).
    public static let featuresRestartedAlert = AlertKind.featuresRestarted

    /// Critical alerts raised instead of signals, and warnings of feature restarts at gaps.
    public private(set) var alerts: [Alert] = []
    /// Critical alerts raised instead of signals.
    public var refusals: Int { alerts.filter { $0.severity == .critical }.count }
    /// Feature restarts at gaps in the 1 m candles (`FeaturePipeline.restartsAtGaps`).
    public var featureRestarts: Int { strategy.featureRestarts.count }
    /// Decision bars on which the model answered (signal or abstention).
    public private(set) var predictions = 0
    /// How many of `alerts` `appendNewAlerts`/`takeNewAlerts` have handed out.
    private var alertsTaken = 0
    /// Alert kind when the coverage at the traded threshold drifts from the walk-forward's (warning).
    public static let coverageDriftAlert = AlertKind.coverageDrift
    /// The walk-forward coverage at each report threshold (`DecisionRule.reportThresholds`, from
    /// the model's report.json); nil = no drift check.
    public var coverageReference: [Double]?
    /// The final model's coverage on its calibration slice at each report threshold (shown beside).
    public var finalCoverage: [Double]?
    /// Decision bars on which each report threshold would have signalled.
    public private(set) var signalsByThreshold = Array(repeating: 0, count: DecisionRule.reportThresholds.count)
    private var driftAlerted = false

    public init(strategy: MLEnsembleStrategy) {
        self.strategy = strategy
    }

    public var ensemble: SignalEnsemble { strategy.ensemble }

    /// The alerts raised since the last call (the kernel emits them as they happen; `alerts`
    /// keeps them all).
    public func takeNewAlerts() -> [Alert] {
        var new: [Alert] = []
        appendNewAlerts(to: &new)
        return new
    }

    /// Appends the alerts raised since the last call (of this or `takeNewAlerts`) to `buffer`;
    /// nothing, without allocating, when there are none.
    public func appendNewAlerts(to buffer: inout [Alert]) {
        guard alertsTaken < alerts.count else { return }
        buffer.append(contentsOf: alerts[alertsTaken...])
        alertsTaken = alerts.count
    }

    /// Feeds one closed one-minute candle of `symbol`; returns that symbol's signal, if any.
    public func onBar(_ candle: Candle, symbol: Symbol, closeTime: Timestamp) -> Signal? {
        let restartsBefore = strategy.featureRestarts.count
        defer {
            let restarts = strategy.featureRestarts
            if restarts.count > restartsBefore, let last = restarts.last {
                let hours = FeatureEngine.warmUp.hourBars
                alerts.append(Alert(severity: .warning, kind: Self.featuresRestartedAlert,
                                    message: "\(last.missingMinutes) 1m candle(s) of \(last.symbol) missing before \(last.openTime): its features "
                                        + "restart; no signal until their lookback (\(hours) hourly bars of contiguous 1m candles) is complete again",
                                    symbol: last.symbol, time: closeTime))
            }
        }
        do {
            let outcome = try strategy.onCandleWithOutcome(candle, symbol: symbol)
            if let probabilities = outcome.probabilities {
                predictions += 1
                for (index, threshold) in DecisionRule.reportThresholds.enumerated()
                where DecisionRule.decide(probabilities, threshold: threshold) != nil {
                    signalsByThreshold[index] += 1
                }
                if predictions % 96 == 0 { checkCoverage(at: closeTime) }
            }
            if let signal = outcome.signal { signals.append(signal) }
            return outcome.signal
        } catch let error as SignalsError {
            let kind: AlertKind
            if case .missingFeature = error { kind = Self.missingFeaturesAlert } else { kind = Self.modelErrorAlert }
            alerts.append(Alert(severity: .critical, kind: kind, message: "no signal: \(error.description)", symbol: symbol, time: closeTime))
        } catch {
            alerts.append(Alert(severity: .critical, kind: Self.modelErrorAlert, message: "no signal: \(error)", symbol: symbol, time: closeTime))
        }
        return nil
    }
}

extension MLSignalSource {
    /// The drift check so far (`CoverageDrift`): coverage at each report threshold on the decision
    /// bars seen against the walk-forward's; nil without a reference.
    public func coverageDrift() -> [CoverageDrift]? {
        guard let reference = coverageReference, reference.count == DecisionRule.reportThresholds.count else { return nil }
        return DecisionRule.reportThresholds.indices.map { index in
            CoverageDrift.check(threshold: DecisionRule.reportThresholds[index], reference: reference[index],
                                signals: signalsByThreshold[index], decisionBars: predictions,
                                finalCalibrationSlice: finalCoverage.flatMap { index < $0.count ? $0[index] : nil })
        }
    }

    /// Raises `ml.coverage_drift` once when the report threshold at or below the traded one has
    /// drifted (checked every 96 decision bars and when a run ends).
    public func checkCoverage(at time: Timestamp) {
        guard !driftAlerted, let drift = coverageDrift(),
              let check = drift.last(where: { $0.threshold <= strategy.threshold + 1e-9 }), check.drifted else { return }
        driftAlerted = true
        alerts.append(Alert(severity: .warning, kind: Self.coverageDriftAlert,
                            message: "the model's " + check.description + ": " + CoverageDrift.explanation([check]),
                            symbol: nil, time: time))
    }
}

@available(*, unavailable, message: "shares one feature pipeline and C model handles; use on the replay's thread only")
extension MLSignalSource: Sendable {}
