/// One-vs-rest isotonic calibration of a probability triple, renormalised to sum to one.
/// Always fitted on samples the model did not train on (the purged tail of a training window).
public struct ProbabilityCalibration: Sendable, Hashable, Codable {
    /// Curves for NONE, LONG, SHORT.
    public var curves: [IsotonicCurve]
    public var fittedSamples: Int

    public init(curves: [IsotonicCurve], fittedSamples: Int) {
        precondition(curves.count == 3, "one curve per class")
        self.curves = curves
        self.fittedSamples = fittedSamples
    }

    public static func fit(probabilities: [ClassProbabilities], labels: [SignalClass]) -> ProbabilityCalibration {
        let curves = SignalClass.allCases.map { signalClass in
            IsotonicCurve.fit(scores: probabilities.map { $0[signalClass] }, outcomes: labels.map { $0 == signalClass })
        }
        return ProbabilityCalibration(curves: curves, fittedSamples: labels.count)
    }

    public func apply(_ probabilities: ClassProbabilities) -> ClassProbabilities {
        ClassProbabilities(none: curves[0](probabilities.none), long: curves[1](probabilities.long),
                           short: curves[2](probabilities.short)).normalized()
    }
}
