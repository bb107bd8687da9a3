/// A model with the calibration fitted for it on held-out samples.
public struct CalibratedModel {
    public let model: any SignalModel
    public let calibration: ProbabilityCalibration

    public init(model: any SignalModel, calibration: ProbabilityCalibration) {
        self.model = model
        self.calibration = calibration
    }

    public func predictProbabilities(_ features: FeatureMatrix) throws -> (calibrated: [ClassProbabilities], raw: [ClassProbabilities]) {
        let raw = try model.predictProbabilities(features)
        try ProbabilityCalibration.requireValid(raw, model: type(of: model).kind)
        return (raw.map(calibration.apply), raw)
    }

    public static func calibrationPath(directory: String, kind: String) -> String { "\(directory)/\(kind).calibration.json" }
}

@available(*, unavailable, message: "holds a model wrapping a C handle")
extension CalibratedModel: Sendable {}
