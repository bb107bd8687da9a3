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

    /// Floor applied to each calibrated class probability before renormalising: isotonic steps
    /// can reach 0 on a small calibration set, and a certain "never" is not a claim we can make.
    public static let minimumProbability = 0.001

    /// Refuses a model output that is not a probability triple: a NaN or infinite value, a value
    /// outside [0, 1], or a sum away from 1 (by more than 1e-3). A broken model must raise an
    /// error (`ml.model_error`), never turn into a uniform triple that quietly abstains.
    public static func requireValid(_ probabilities: [ClassProbabilities], model: String) throws(SignalsError) {
        for (row, probability) in probabilities.enumerated() {
            let values = probability.values
            let valid = values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 } && abs(values.reduce(0, +) - 1) <= 1e-3
            guard valid else {
                throw .library(name: model, call: "predict", message: "row \(row): output \(values) is not a probability triple")
            }
        }
    }

    public func apply(_ probabilities: ClassProbabilities) -> ClassProbabilities {
        let floor = Self.minimumProbability
        return ClassProbabilities(none: max(floor, curves[0](probabilities.none)), long: max(floor, curves[1](probabilities.long)),
                                  short: max(floor, curves[2](probabilities.short))).normalized()
    }
}
