/// Hyper-parameters shared by the gradient-boosting models.
///
/// Threads: always one per model (`nthread=1`, `num_threads=1`). On this 2-core machine
/// OpenMP spinning made 2-thread XGBoost ~8× slower when another process held a core
/// (shared/research/ml-libraries.md); one thread is predictable and keeps a core free.
public struct BoostingSettings: Sendable, Hashable, Codable {
    public var rounds: Int
    public var learningRate: Double
    public var maxDepth: Int
    /// Minimum samples (LightGBM) / hessian weight (XGBoost) per leaf.
    public var minChildSamples: Int
    public var rowSubsample: Double
    public var columnSubsample: Double
    public var seed: Int

    public init(rounds: Int = 120, learningRate: Double = 0.05, maxDepth: Int = 4, minChildSamples: Int = 40,
                rowSubsample: Double = 0.8, columnSubsample: Double = 0.8, seed: Int = 7) {
        self.rounds = rounds
        self.learningRate = learningRate
        self.maxDepth = maxDepth
        self.minChildSamples = minChildSamples
        self.rowSubsample = rowSubsample
        self.columnSubsample = columnSubsample
        self.seed = seed
    }

    public static let threadsPerModel = 1

    public func validate() throws(SignalsError) {
        guard rounds >= 1 else { throw .invalidSetting(key: "rounds", message: "must be at least 1") }
        guard learningRate > 0, learningRate <= 1 else { throw .invalidSetting(key: "learning_rate", message: "must be in (0, 1]") }
        guard maxDepth >= 1, maxDepth <= 16 else { throw .invalidSetting(key: "max_depth", message: "must be in 1...16") }
        guard minChildSamples >= 1 else { throw .invalidSetting(key: "min_child_samples", message: "must be at least 1") }
        guard rowSubsample > 0, rowSubsample <= 1 else { throw .invalidSetting(key: "row_subsample", message: "must be in (0, 1]") }
        guard columnSubsample > 0, columnSubsample <= 1 else {
            throw .invalidSetting(key: "column_subsample", message: "must be in (0, 1]")
        }
    }
}
