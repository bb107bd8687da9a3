/// How the report's statistics are computed (`[train.statistics]`).
public struct StatisticsSettings: Sendable, Hashable, Codable {
    /// Day-block bootstrap resamples per interval.
    public var bootstrapResamples: Int
    /// Bootstrap block length in days; nil = automatic (cube root of the window's days).
    public var bootstrapBlockDays: Int?
    /// CSCV partitions for the probability of backtest overfitting (even, ≥ 4).
    public var overfittingPartitions: Int
    /// Draws of the random-entry baseline per fold.
    public var randomBaselineDraws: Int
    /// Trades the calibration slice must give a threshold before it can be chosen there.
    public var minimumCalibrationTrades: Int
    /// Also evaluate each symbol with a model trained on the others only (several symbols).
    public var leaveOneSymbolOut: Bool

    public init(bootstrapResamples: Int = 2000, bootstrapBlockDays: Int? = nil, overfittingPartitions: Int = 16,
                randomBaselineDraws: Int = 200, minimumCalibrationTrades: Int = 10, leaveOneSymbolOut: Bool = false) {
        self.bootstrapResamples = bootstrapResamples
        self.bootstrapBlockDays = bootstrapBlockDays
        self.overfittingPartitions = overfittingPartitions
        self.randomBaselineDraws = randomBaselineDraws
        self.minimumCalibrationTrades = minimumCalibrationTrades
        self.leaveOneSymbolOut = leaveOneSymbolOut
    }

    public func validate() throws(SignalsError) {
        guard bootstrapResamples >= 100, bootstrapResamples <= 100_000 else {
            throw .invalidSetting(key: "bootstrap_resamples", message: "must be in 100...100000, got \(bootstrapResamples)")
        }
        if let bootstrapBlockDays, bootstrapBlockDays < 1 || bootstrapBlockDays > 365 {
            throw .invalidSetting(key: "bootstrap_block_days", message: "must be in 1...365 (0 = automatic), got \(bootstrapBlockDays)")
        }
        guard overfittingPartitions >= 4, overfittingPartitions <= 20, overfittingPartitions % 2 == 0 else {
            throw .invalidSetting(key: "overfitting_partitions", message: "must be even and in 4...20, got \(overfittingPartitions)")
        }
        guard randomBaselineDraws >= 10, randomBaselineDraws <= 10_000 else {
            throw .invalidSetting(key: "random_baseline_draws", message: "must be in 10...10000, got \(randomBaselineDraws)")
        }
        guard minimumCalibrationTrades >= 2 else {
            throw .invalidSetting(key: "minimum_calibration_trades", message: "must be at least 2, got \(minimumCalibrationTrades)")
        }
    }

    /// The bootstrap for one use; `stream` separates the uses so no two intervals share draws.
    public func bootstrap(seed: UInt64, stream: UInt64) -> DayBlockBootstrap {
        DayBlockBootstrap(resamples: bootstrapResamples, blockDays: bootstrapBlockDays, seed: seed &* 0x9E37_79B9 &+ stream)
    }
}
