import CXGBoost
import Foundation

/// XGBoost (Debian libxgboost-dev, C API) multi-class softprob model, one thread.
public final class XGBoostModel: SignalModel {
    public static let kind = "xgboost"
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    public let metadata: ModelMetadata
    private let booster: BoosterHandle

    private init(booster: BoosterHandle, metadata: ModelMetadata) {
        self.booster = booster
        self.metadata = metadata
    }

    deinit { XGBoosterFree(booster) }

    static func check(_ status: Int32, _ call: String) throws(SignalsError) {
        guard status == 0 else { throw .library(name: "xgboost", call: call, message: String(cString: XGBGetLastError())) }
    }

    private static func matrix(_ features: FeatureMatrix) throws(SignalsError) -> DMatrixHandle {
        var handle: DMatrixHandle?
        try check(features.values.withUnsafeBufferPointer {
            XGDMatrixCreateFromMat($0.baseAddress, UInt64(features.rowCount), UInt64(features.columnCount), Float.nan, &handle)
        }, "XGDMatrixCreateFromMat")
        guard let handle else { throw .library(name: "xgboost", call: "XGDMatrixCreateFromMat", message: "no handle") }
        return handle
    }

    private static func configure(_ booster: BoosterHandle, _ parameters: [(String, String)]) throws(SignalsError) {
        for (key, value) in parameters { try check(XGBoosterSetParam(booster, key, value), "XGBoosterSetParam(\(key))") }
    }

    public static func train(features: FeatureMatrix, labels: [SignalClass], settings: BoostingSettings,
                             metadata: ModelMetadata) throws -> XGBoostModel {
        try settings.validate()
        guard features.rowCount == labels.count, features.rowCount > 0 else {
            throw SignalsError.insufficientData("xgboost: \(features.rowCount) rows, \(labels.count) labels")
        }
        let data = try matrix(features)
        defer { XGDMatrixFree(data) }
        let labelValues = labels.map { Float($0.rawValue) }
        try check(labelValues.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(data, "label", $0.baseAddress, UInt64(labels.count)) },
                  "XGDMatrixSetFloatInfo(label)")
        var handle: BoosterHandle?
        var matrices: [DMatrixHandle?] = [data]
        try check(XGBoosterCreate(&matrices, 1, &handle), "XGBoosterCreate")
        guard let handle else { throw SignalsError.library(name: "xgboost", call: "XGBoosterCreate", message: "no handle") }
        let model = XGBoostModel(booster: handle, metadata: metadata)
        try configure(handle, [
            ("objective", "multi:softprob"), ("num_class", "3"), ("tree_method", "hist"), ("max_bin", "64"),
            ("nthread", String(BoostingSettings.threadsPerModel)), ("seed", String(settings.seed)),
            ("eta", String(settings.learningRate)), ("max_depth", String(settings.maxDepth)),
            ("min_child_weight", String(Double(settings.minChildSamples) * 0.1)),
            ("subsample", String(settings.rowSubsample)), ("colsample_bytree", String(settings.columnSubsample)),
            ("eval_metric", "mlogloss"), ("verbosity", "0"),
        ])
        for iteration in 0..<settings.rounds {
            try check(XGBoosterUpdateOneIter(handle, Int32(iteration), data), "XGBoosterUpdateOneIter")
        }
        return model
    }

    public func predictProbabilities(_ features: FeatureMatrix) throws -> [ClassProbabilities] {
        try requireMatching(features)
        let data = try Self.matrix(features)
        defer { XGDMatrixFree(data) }
        var length: UInt64 = 0
        var output: UnsafePointer<Float>?
        try Self.check(XGBoosterPredict(booster, data, 0, 0, 0, &length, &output), "XGBoosterPredict")
        guard let output, Int(length) == features.rowCount * 3 else {
            throw SignalsError.library(name: "xgboost", call: "XGBoosterPredict", message: "got \(length) values for \(features.rowCount) rows")
        }
        return (0..<features.rowCount).map {
            ClassProbabilities(none: Double(output[$0 * 3]), long: Double(output[$0 * 3 + 1]), short: Double(output[$0 * 3 + 2]))
        }
    }

    public func gainImportance() throws -> [Double] {
        var count: UInt64 = 0, dimension: UInt64 = 0
        var names: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var shape: UnsafePointer<UInt64>?
        var scores: UnsafePointer<Float>?
        try Self.check(XGBoosterFeatureScore(booster, "{\"importance_type\": \"total_gain\"}", &count, &names, &dimension, &shape, &scores),
                       "XGBoosterFeatureScore")
        var result = Array(repeating: 0.0, count: metadata.featureSet.count)
        guard let names, let scores else { return result }
        for index in 0..<Int(count) {
            guard let name = names[index].map({ String(cString: $0) }), name.hasPrefix("f"), let column = Int(name.dropFirst()),
                  column >= 0, column < result.count else { continue }
            result[column] += Double(scores[index])
        }
        return result
    }

    public func meanAbsoluteContributions(_ features: FeatureMatrix) throws -> [Double] {
        try requireMatching(features)
        let data = try Self.matrix(features)
        defer { XGDMatrixFree(data) }
        var shape: UnsafePointer<UInt64>?
        var dimension: UInt64 = 0
        var output: UnsafePointer<Float>?
        let config = "{\"type\": 2, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": true}"
        try Self.check(XGBoosterPredictFromDMatrix(booster, data, config, &shape, &dimension, &output), "XGBoosterPredictFromDMatrix(contribs)")
        let columns = features.columnCount
        guard let output, let shape, dimension == 3, Int(shape[0]) == features.rowCount, Int(shape[2]) == columns + 1 else {
            throw SignalsError.library(name: "xgboost", call: "XGBoosterPredictFromDMatrix(contribs)", message: "unexpected output shape")
        }
        let classes = Int(shape[1])
        var sums = Array(repeating: 0.0, count: columns)
        for row in 0..<features.rowCount {
            for group in 0..<classes {
                let base = (row * classes + group) * (columns + 1)
                for column in 0..<columns { sums[column] += abs(Double(output[base + column])) }
            }
        }
        return sums.map { $0 / Double(max(1, features.rowCount)) }
    }

    public static func modelPath(directory: String) -> String { "\(directory)/\(kind).model.json" }

    public func save(directory: String) throws {
        try Self.check(XGBoosterSaveModel(booster, Self.modelPath(directory: directory)), "XGBoosterSaveModel")
        try metadata.write(directory: directory)
    }

    public static func load(directory: String, expecting featureSet: FeatureSet) throws -> XGBoostModel {
        let metadata = try ModelMetadata.read(directory: directory, kind: kind, expecting: featureSet)
        let path = modelPath(directory: directory)
        guard FileManager.default.fileExists(atPath: path) else { throw SignalsError.modelFile(path: path, message: "model file not found") }
        var handle: BoosterHandle?
        try check(XGBoosterCreate(nil, 0, &handle), "XGBoosterCreate")
        guard let handle else { throw SignalsError.library(name: "xgboost", call: "XGBoosterCreate", message: "no handle") }
        let model = XGBoostModel(booster: handle, metadata: metadata)
        try check(XGBoosterLoadModel(handle, path), "XGBoosterLoadModel(\(path))")
        try configure(handle, [("nthread", String(BoostingSettings.threadsPerModel))])
        var features: UInt64 = 0
        try check(XGBoosterGetNumFeature(handle, &features), "XGBoosterGetNumFeature")
        guard Int(features) == featureSet.count else {
            throw SignalsError.modelFile(path: path, message: "model has \(features) features, feature set \(featureSet) has \(featureSet.count)")
        }
        return model
    }
}

@available(*, unavailable, message: "wraps a C handle; one owner at a time")
extension XGBoostModel: Sendable {}
