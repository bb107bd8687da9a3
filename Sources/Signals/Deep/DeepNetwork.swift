import Foundation

/// One network inside the libtorch plugin (an opaque handle), created from a model's metadata.
/// Not `Sendable`: one owner at a time, like the boosted-tree models.
public final class DeepNetwork {
    let plugin: DeepPlugin
    private let handle: OpaquePointer
    let levels: [Double]

    /// Progress after each epoch: epoch, maximum epochs, training loss, validation loss.
    typealias EpochProgress = (Int, Int, Double, Double) -> Void

    /// The plugin configuration line for `architecture` (`nhits`, `tft`) and `metadata`.
    static func configuration(architecture: String, metadata: ModelMetadata, settings: DeepSettings) -> String {
        let futureSteps = SequenceWindows.futureSteps(labelSettings: metadata.labelSettings, decisionIntervalMinutes: metadata.decisionIntervalMinutes)
        return [
            "arch=\(architecture)", "length=\(settings.windowSteps)", "channels=\(metadata.featureSet.count + 1)",
            "future_length=\(futureSteps)", "future_channels=\(SequenceWindows.futureChannels)",
            "quantiles=\(settings.quantiles.map { String($0) }.joined(separator: ","))", "hidden=\(settings.hidden)",
            "heads=\(settings.heads)", "seed=\(settings.seed)", "epochs=\(settings.maxEpochs)", "patience=\(settings.patience)",
            "batch=\(settings.batchSize)", "learning_rate=\(settings.learningRate)",
        ].joined(separator: " ")
    }

    init(plugin: DeepPlugin, architecture: String, metadata: ModelMetadata, settings: DeepSettings) throws(SignalsError) {
        self.plugin = plugin
        levels = settings.quantiles
        var created: OpaquePointer?
        let configuration = Self.configuration(architecture: architecture, metadata: metadata, settings: settings)
        try plugin.check("qtd_create") { plugin.create(configuration, &created, $0, $1) }
        guard let created else { throw .library(name: plugin.libraryVersion, call: "qtd_create", message: "no handle") }
        handle = created
    }

    deinit { plugin.free(handle) }

    private final class ProgressBox {
        let report: EpochProgress
        init(_ report: @escaping EpochProgress) { self.report = report }
    }

    /// Trains with early stopping on `validation`; returns (epochs run, best epoch).
    func train(fit: SequenceWindows, validation: SequenceWindows, progress: EpochProgress?) throws(SignalsError) -> (epochs: Int, best: Int) {
        let fitTargets = fit.targets.map(Float.init), validationTargets = validation.targets.map(Float.init)
        guard fitTargets.count == fit.rowCount, validationTargets.count == validation.rowCount else {
            throw .insufficientData("deep training needs a forward-return target per row")
        }
        var epochs: Int32 = 0, best: Int32 = 0
        let box = progress.map(ProgressBox.init)
        let context = box.map { Unmanaged.passUnretained($0).toOpaque() }
        let callback: DeepPlugin.Progress = { context, epoch, epochs, trainingLoss, validationLoss in
            guard let context else { return 0 }
            Unmanaged<ProgressBox>.fromOpaque(context).takeUnretainedValue().report(Int(epoch), Int(epochs), trainingLoss, validationLoss)
            return 0
        }
        try withExtendedLifetime(box) { () throws(SignalsError) in
            try plugin.check("qtd_train") { error, size in
                plugin.train(handle, fit.past, fit.future, fitTargets, Int64(fit.rowCount), validation.past, validation.future,
                             validationTargets, Int64(validation.rowCount), box == nil ? nil : callback, context, &epochs, &best, error, size)
            }
        }
        return (Int(epochs), Int(best))
    }

    /// Forecast quantiles per row (`levels.count` each).
    func predictQuantiles(_ windows: SequenceWindows) throws(SignalsError) -> [[Double]] {
        guard windows.rowCount > 0 else { return [] }
        var output = [Float](repeating: .nan, count: windows.rowCount * levels.count)
        try plugin.check("qtd_predict") { error, size in
            output.withUnsafeMutableBufferPointer { plugin.predict(handle, windows.past, windows.future, Int64(windows.rowCount), $0.baseAddress, error, size) }
        }
        return (0..<windows.rowCount).map { row in output[(row * levels.count)..<((row + 1) * levels.count)].map(Double.init) }
    }

    func save(path: String) throws(SignalsError) {
        try plugin.check("qtd_save(\(path))") { plugin.save(handle, path, $0, $1) }
    }

    func load(path: String) throws(SignalsError) {
        try plugin.check("qtd_load(\(path))") { plugin.load(handle, path, $0, $1) }
    }
}
