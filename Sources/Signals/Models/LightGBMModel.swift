import CLightGBM
import Foundation

/// LightGBM (PyPI build in vendor/lightgbm, C API) multi-class model, one thread.
public final class LightGBMModel: SignalModel {
    public static let kind = "lightgbm"
    /// Pinned by scripts/install-lightgbm.sh (the C API has no version call); a test checks
    /// it against vendor/lightgbm/VERSION.
    public static let libraryVersion = "4.7.0"

    public let metadata: ModelMetadata
    private let booster: BoosterHandle
    private static let predictParameters = "num_threads=\(BoostingSettings.threadsPerModel)"

    private init(booster: BoosterHandle, metadata: ModelMetadata) {
        self.booster = booster
        self.metadata = metadata
    }

    deinit { LGBM_BoosterFree(booster) }

    static func check(_ status: Int32, _ call: String) throws(SignalsError) {
        guard status == 0 else { throw .library(name: "lightgbm", call: call, message: String(cString: LGBM_GetLastError())) }
    }

    public static func train(features: FeatureMatrix, labels: [SignalClass], settings: BoostingSettings,
                             metadata: ModelMetadata) throws -> LightGBMModel {
        try settings.validate()
        guard features.rowCount == labels.count, features.rowCount > 0 else {
            throw SignalsError.insufficientData("lightgbm: \(features.rowCount) rows, \(labels.count) labels")
        }
        let parameters = [
            "objective=multiclass", "num_class=3", "num_threads=\(BoostingSettings.threadsPerModel)", "verbosity=-1",
            "seed=\(settings.seed)", "deterministic=true", "force_row_wise=true", "max_bin=63",
            "learning_rate=\(settings.learningRate)", "max_depth=\(settings.maxDepth)",
            "num_leaves=\(min(1 << settings.maxDepth, 63))", "min_data_in_leaf=\(settings.minChildSamples)",
            "bagging_fraction=\(settings.rowSubsample)", "bagging_freq=1", "feature_fraction=\(settings.columnSubsample)",
        ].joined(separator: " ")
        var dataset: DatasetHandle?
        try check(features.values.withUnsafeBufferPointer {
            LGBM_DatasetCreateFromMat($0.baseAddress, C_API_DTYPE_FLOAT32, Int32(features.rowCount), Int32(features.columnCount), 1,
                                      parameters, nil, &dataset)
        }, "LGBM_DatasetCreateFromMat")
        guard let dataset else { throw SignalsError.library(name: "lightgbm", call: "LGBM_DatasetCreateFromMat", message: "no handle") }
        defer { LGBM_DatasetFree(dataset) }
        let labelValues = labels.map { Float($0.rawValue) }
        try check(labelValues.withUnsafeBufferPointer {
            LGBM_DatasetSetField(dataset, "label", $0.baseAddress, Int32(labels.count), C_API_DTYPE_FLOAT32)
        }, "LGBM_DatasetSetField(label)")
        var handle: BoosterHandle?
        try check(LGBM_BoosterCreate(dataset, parameters, &handle), "LGBM_BoosterCreate")
        guard let handle else { throw SignalsError.library(name: "lightgbm", call: "LGBM_BoosterCreate", message: "no handle") }
        let model = LightGBMModel(booster: handle, metadata: metadata)
        var finished: Int32 = 0
        for _ in 0..<settings.rounds where finished == 0 {
            try check(LGBM_BoosterUpdateOneIter(handle, &finished), "LGBM_BoosterUpdateOneIter")
        }
        return model
    }

    public func predictProbabilities(_ features: FeatureMatrix) throws -> [ClassProbabilities] {
        try requireMatching(features)
        var output = [Double](repeating: 0, count: features.rowCount * 3)
        var length: Int64 = 0
        try Self.check(features.values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                LGBM_BoosterPredictForMat(booster, input.baseAddress, C_API_DTYPE_FLOAT32, Int32(features.rowCount),
                                          Int32(features.columnCount), 1, C_API_PREDICT_NORMAL, 0, -1, Self.predictParameters,
                                          &length, out.baseAddress)
            }
        }, "LGBM_BoosterPredictForMat")
        guard Int(length) == features.rowCount * 3 else {
            throw SignalsError.library(name: "lightgbm", call: "LGBM_BoosterPredictForMat", message: "got \(length) values for \(features.rowCount) rows")
        }
        return (0..<features.rowCount).map { ClassProbabilities(none: output[$0 * 3], long: output[$0 * 3 + 1], short: output[$0 * 3 + 2]) }
    }

    public func gainImportance() throws -> [Double] {
        var result = Array(repeating: 0.0, count: metadata.featureSet.count)
        try Self.check(result.withUnsafeMutableBufferPointer {
            LGBM_BoosterFeatureImportance(booster, 0, C_API_FEATURE_IMPORTANCE_GAIN, $0.baseAddress)
        }, "LGBM_BoosterFeatureImportance")
        return result
    }

    public func meanAbsoluteContributions(_ features: FeatureMatrix) throws -> [Double] {
        try requireMatching(features)
        var length: Int64 = 0
        try Self.check(LGBM_BoosterCalcNumPredict(booster, Int32(features.rowCount), C_API_PREDICT_CONTRIB, 0, -1, &length),
                       "LGBM_BoosterCalcNumPredict")
        let columns = features.columnCount
        let classes = Int(length) / max(1, features.rowCount * (columns + 1))
        guard classes >= 1, Int(length) == features.rowCount * classes * (columns + 1) else {
            throw SignalsError.library(name: "lightgbm", call: "LGBM_BoosterCalcNumPredict", message: "unexpected length \(length)")
        }
        var output = [Double](repeating: 0, count: Int(length))
        var written: Int64 = 0
        try Self.check(features.values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                LGBM_BoosterPredictForMat(booster, input.baseAddress, C_API_DTYPE_FLOAT32, Int32(features.rowCount), Int32(columns), 1,
                                          C_API_PREDICT_CONTRIB, 0, -1, Self.predictParameters, &written, out.baseAddress)
            }
        }, "LGBM_BoosterPredictForMat(contrib)")
        var sums = Array(repeating: 0.0, count: columns)
        for row in 0..<features.rowCount {
            for group in 0..<classes {
                let base = (row * classes + group) * (columns + 1)
                for column in 0..<columns { sums[column] += abs(output[base + column]) }
            }
        }
        return sums.map { $0 / Double(max(1, features.rowCount)) }
    }

    public static func modelPath(directory: String) -> String { "\(directory)/\(kind).model.txt" }

    public func save(directory: String) throws {
        try Self.check(LGBM_BoosterSaveModel(booster, 0, -1, C_API_FEATURE_IMPORTANCE_SPLIT, Self.modelPath(directory: directory)),
                       "LGBM_BoosterSaveModel")
        try metadata.write(directory: directory)
    }

    public static func load(directory: String, expecting featureSet: FeatureSet) throws -> LightGBMModel {
        let metadata = try ModelMetadata.read(directory: directory, kind: kind, expecting: featureSet)
        let path = modelPath(directory: directory)
        guard FileManager.default.fileExists(atPath: path) else { throw SignalsError.modelFile(path: path, message: "model file not found") }
        var iterations: Int32 = 0
        var handle: BoosterHandle?
        try check(LGBM_BoosterCreateFromModelfile(path, &iterations, &handle), "LGBM_BoosterCreateFromModelfile(\(path))")
        guard let handle else { throw SignalsError.library(name: "lightgbm", call: "LGBM_BoosterCreateFromModelfile", message: "no handle") }
        let model = LightGBMModel(booster: handle, metadata: metadata)
        var features: Int32 = 0
        try check(LGBM_BoosterGetNumFeature(handle, &features), "LGBM_BoosterGetNumFeature")
        guard Int(features) == featureSet.count else {
            throw SignalsError.modelFile(path: path, message: "model has \(features) features, feature set \(featureSet) has \(featureSet.count)")
        }
        return model
    }
}

@available(*, unavailable, message: "wraps a C handle; one owner at a time")
extension LightGBMModel: Sendable {}
