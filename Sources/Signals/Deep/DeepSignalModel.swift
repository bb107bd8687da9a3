import Foundation

/// A deep forecaster behind `SignalModel` (N-HiTS, TFT): the network lives in the libtorch
/// plugin; inputs are the rows' `SequenceWindows` (the matrix must carry them), outputs forecast
/// quantiles of the barrier-stopped forward return mapped to class probabilities
/// (`BarrierQuantiles`). Training holds out the last `validationFraction` of the training rows
/// (by time, purged of rows whose label span reaches into it) for early stopping.
public protocol DeepSignalModel: SignalModel {
    /// The plugin's architecture name (`nhits`, `tft`).
    static var architecture: String { get }
    var network: DeepNetwork { get }
    init(network: DeepNetwork, metadata: ModelMetadata)
}

extension DeepSignalModel {
    public static var kind: String { architecture }
    public static var libraryVersion: String {
        switch DeepPlugin.shared {
        case .success(let plugin): plugin.libraryVersion
        case .failure: "libtorch (plugin not available)"
        }
    }

    static func settings(_ metadata: ModelMetadata) throws(SignalsError) -> DeepSettings {
        guard let settings = metadata.deep else {
            throw .invalidSetting(key: "deep", message: "\(architecture) metadata has no deep-model hyper-parameters")
        }
        try settings.validate()
        return settings
    }

    static func windows(_ features: FeatureMatrix) throws(SignalsError) -> SequenceWindows {
        guard let windows = features.sequences else {
            throw .featureMismatch("\(architecture) needs the past window of each row's decision bars (SequenceWindows); "
                + "single feature vectors are refused")
        }
        guard windows.rowCount == features.rowCount, windows.channels == features.columnCount + 1 else {
            throw .featureMismatch("\(architecture): windows for \(windows.rowCount) rows × \(windows.channels) channels, "
                + "matrix has \(features.rowCount) rows × \(features.columnCount) features")
        }
        return windows
    }

    public static func train(features: FeatureMatrix, labels: [SignalClass], settings: BoostingSettings,
                             metadata: ModelMetadata) throws -> Self {
        try train(features: features, metadata: metadata, plugin: DeepPlugin.shared.get(), progress: nil)
    }

    /// Trains with early stopping, reporting each epoch's losses to `progress`.
    public static func train(features: FeatureMatrix, metadata: ModelMetadata, plugin: DeepPlugin,
                             progress: ((Int, Int, Double, Double) -> Void)?) throws -> Self {
        if let mismatch = metadata.featureSet.mismatch(with: features.featureSet) { throw SignalsError.featureMismatch(mismatch) }
        let deep = try settings(metadata)
        let windows = try windows(features)
        guard windows.steps == deep.windowSteps else {
            throw SignalsError.featureMismatch("windows of \(windows.steps) steps, settings say \(deep.windowSteps)")
        }
        let order = windows.times.indices.sorted { windows.times[$0] < windows.times[$1] }
        let validationCount = Int((Double(order.count) * deep.validationFraction).rounded(.up))
        let validation = Array(order.suffix(validationCount))
        guard let validationStart = validation.map({ windows.times[$0] }).min() else {
            throw SignalsError.insufficientData("\(architecture): no validation rows")
        }
        let fit = order.dropLast(validationCount).filter { windows.endTimes[$0] < validationStart }
        guard fit.count >= 20, validation.count >= 5 else {
            throw SignalsError.insufficientData("\(architecture): \(fit.count) training and \(validation.count) validation rows after purging (need 20 and 5)")
        }
        let network = try DeepNetwork(plugin: plugin, architecture: architecture, metadata: metadata, settings: deep)
        var recorded = metadata
        let result = try network.train(fit: windows.subset(fit), validation: windows.subset(validation), progress: progress)
        recorded.deepTraining = DeepTrainingRecord(epochs: result.epochs, bestEpoch: result.best, fitRows: fit.count,
                                                   validationRows: validation.count)
        recorded.libraryVersion = plugin.libraryVersion
        return Self(network: network, metadata: recorded)
    }

    public func predictProbabilities(_ features: FeatureMatrix) throws -> [ClassProbabilities] {
        try requireMatching(features)
        let quantiles = try network.predictQuantiles(Self.windows(features))
        return quantiles.map { BarrierQuantiles.probabilities(quantiles: $0, levels: network.levels, settings: metadata.labelSettings) }
    }

    /// Forecast quantiles of the barrier-stopped forward return per row.
    public func predictQuantiles(_ features: FeatureMatrix) throws -> [[Double]] {
        try requireMatching(features)
        return try network.predictQuantiles(Self.windows(features))
    }

    public func gainImportance() throws -> [Double] {
        throw SignalsError.library(name: Self.kind, call: "gainImportance", message: "a neural network has no split gains")
    }

    public func meanAbsoluteContributions(_ features: FeatureMatrix) throws -> [Double] {
        throw SignalsError.library(name: Self.kind, call: "meanAbsoluteContributions", message: "no tree SHAP for a neural network")
    }

    public static func modelPath(directory: String) -> String { "\(directory)/\(kind).model.pt" }

    public func save(directory: String) throws {
        try network.save(path: Self.modelPath(directory: directory))
        try metadata.write(directory: directory)
    }

    public static func load(directory: String, expecting featureSet: FeatureSet) throws -> Self {
        try load(directory: directory, expecting: featureSet, plugin: DeepPlugin.shared.get())
    }

    /// Loads with `plugin`, refusing a model of other features, hyper-parameters the file does not
    /// match, or a libtorch of another major.minor version than the one it was trained with.
    public static func load(directory: String, expecting featureSet: FeatureSet, plugin: DeepPlugin) throws -> Self {
        let metadata = try ModelMetadata.read(directory: directory, kind: kind, expecting: featureSet)
        let path = modelPath(directory: directory)
        guard FileManager.default.fileExists(atPath: path) else { throw SignalsError.modelFile(path: path, message: "model file not found") }
        func majorMinor(_ version: String) -> String { version.split(separator: ".").prefix(2).joined(separator: ".") }
        guard majorMinor(metadata.libraryVersion) == majorMinor(plugin.libraryVersion) else {
            throw SignalsError.modelFile(path: path, message: "trained with \(metadata.libraryVersion), this plugin is \(plugin.libraryVersion)")
        }
        let network = try DeepNetwork(plugin: plugin, architecture: architecture, metadata: metadata, settings: settings(metadata))
        do { try network.load(path: path) } catch {
            throw SignalsError.modelFile(path: path, message: "does not match its metadata (\(architecture), \(metadata.featureSet)): \(error)")
        }
        return Self(network: network, metadata: metadata)
    }
}

/// What early stopping did, recorded in a deep model's metadata.
public struct DeepTrainingRecord: Sendable, Hashable, Codable {
    public var epochs: Int
    public var bestEpoch: Int
    public var fitRows: Int
    public var validationRows: Int
}

/// N-HiTS (Challu et al. 2023) on libtorch: see Plugins/DeepTorch/qtdeep.cpp.
public final class NHiTSModel: DeepSignalModel {
    public static let architecture = "nhits"
    public let metadata: ModelMetadata
    public let network: DeepNetwork
    public init(network: DeepNetwork, metadata: ModelMetadata) {
        self.network = network
        self.metadata = metadata
    }
}

/// A small Temporal Fusion Transformer (Lim et al. 2021) on libtorch: see Plugins/DeepTorch/qtdeep.cpp.
public final class TFTModel: DeepSignalModel {
    public static let architecture = "tft"
    public let metadata: ModelMetadata
    public let network: DeepNetwork
    public init(network: DeepNetwork, metadata: ModelMetadata) {
        self.network = network
        self.metadata = metadata
    }
}

@available(*, unavailable, message: "wraps a plugin handle; one owner at a time")
extension DeepNetwork: Sendable {}
@available(*, unavailable, message: "wraps a plugin handle; one owner at a time")
extension NHiTSModel: Sendable {}
@available(*, unavailable, message: "wraps a plugin handle; one owner at a time")
extension TFTModel: Sendable {}
