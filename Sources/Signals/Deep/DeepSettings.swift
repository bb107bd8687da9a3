/// Hyper-parameters of the deep forecasters (N-HiTS, TFT), recorded in every deep model's
/// metadata. Defaults are small enough to train a fold of the bundled data in about a minute on
/// one core.
///
/// Determinism: one torch thread (`torch::set_num_threads(1)`), weights initialised and batches
/// shuffled from `seed`. The same build on the same CPU gives bit-identical weights and
/// predictions run to run; another CPU (other SIMD kernels) or libtorch version may differ in
/// the last bits. The boosted trees keep their own single OpenMP thread, so the two never
/// compete for the two cores.
public struct DeepSettings: Sendable, Hashable, Codable {
    /// Past decision bars per input window (the current one included).
    public var windowSteps: Int
    /// Width of the hidden layers (TFT: model dimension).
    public var hidden: Int
    /// Attention heads (TFT); `hidden` must be divisible by it.
    public var heads: Int
    public var maxEpochs: Int
    /// Epochs without a better validation loss before training stops (best epoch kept).
    public var patience: Int
    public var batchSize: Int
    public var learningRate: Double
    public var seed: Int
    /// Last fraction (by time) of the training window used for early stopping, purged.
    public var validationFraction: Double
    /// Quantile levels of the forecast, ascending in (0, 1).
    public var quantiles: [Double]

    public init(windowSteps: Int = 16, hidden: Int = 32, heads: Int = 4, maxEpochs: Int = 30, patience: Int = 4, batchSize: Int = 128,
                learningRate: Double = 0.001, seed: Int = 7, validationFraction: Double = 0.2,
                quantiles: [Double] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98]) {
        self.windowSteps = windowSteps
        self.hidden = hidden
        self.heads = heads
        self.maxEpochs = maxEpochs
        self.patience = patience
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.validationFraction = validationFraction
        self.quantiles = quantiles
    }

    public func validate() throws(SignalsError) {
        guard windowSteps >= 1, windowSteps <= 256 else { throw .invalidSetting(key: "window_steps", message: "must be in 1...256") }
        guard hidden >= 4, hidden <= 1024 else { throw .invalidSetting(key: "hidden", message: "must be in 4...1024") }
        guard heads >= 1, hidden % heads == 0 else { throw .invalidSetting(key: "heads", message: "must divide hidden (\(hidden))") }
        guard maxEpochs >= 1, patience >= 1, batchSize >= 1 else {
            throw .invalidSetting(key: "max_epochs", message: "max_epochs, patience and batch_size must be at least 1")
        }
        guard learningRate > 0, learningRate < 1 else { throw .invalidSetting(key: "learning_rate", message: "must be in (0, 1)") }
        guard validationFraction > 0, validationFraction < 0.5 else {
            throw .invalidSetting(key: "validation_fraction", message: "must be in (0, 0.5)")
        }
        guard quantiles.count >= 3, quantiles.allSatisfy({ $0 > 0 && $0 < 1 }), zip(quantiles, quantiles.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalidSetting(key: "quantiles", message: "need at least three ascending levels in (0, 1)")
        }
    }
}
