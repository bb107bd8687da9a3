import TradingConfig
import Signals
import TradingModel

/// The `[train]` section of a configuration file, mapped strictly: unknown keys under `train`
/// are errors (other sections belong to their owners and are checked by them).
public struct TrainConfig: Sendable {
    public var plan: TrainingPlan
    /// Where `qt train` writes models, metadata and the report (overridable with --output).
    public var modelDirectory: String
    /// A backtest configuration whose `[exit]`, `[fees]` and `[backtest]` replay the chosen
    /// out-of-sample signals through the exit engine (`exit_config`), if any.
    public var exitConfiguration: String?

    public init(document: ConfigDocument) throws {
        let train = document.section("train")
        guard train.exists else {
            throw ConfigError(kind: .invalidValue, file: document.file, line: nil, key: "train",
                              message: "missing [train] section (see config/train-demo.toml)")
        }
        let labels = train.section("labels"), walk = train.section("walk_forward"), boosting = train.section("boosting")
        let statistics = train.section("statistics"), deep = train.section("deep")
        let defaults = TrainingPlan()
        let labelSettings = TripleBarrierSettings(
            takeProfitPriceMove: try labels.double("take_profit_price_move", default: defaults.labelSettings.takeProfitPriceMove, range: 0.0001...0.5),
            stopPriceMove: try labels.double("stop_price_move", default: defaults.labelSettings.stopPriceMove, range: 0.0001...0.5),
            horizonBars: try labels.int("horizon_bars", default: defaults.labelSettings.horizonBars, range: 1...10_000),
            roundTripFeeRate: try labels.double("round_trip_fee_rate", default: defaults.labelSettings.roundTripFeeRate, range: 0...0.05),
            slippageBasisPoints: try labels.double("slippage_bps", default: defaults.labelSettings.slippageBasisPoints, range: 0...500),
            assumedFundingRate: try labels.double("funding_rate", default: defaults.labelSettings.assumedFundingRate, range: -0.01...0.01))
        try Self.check(labelSettings.validate(), labels)
        let walkForward = WalkForwardSettings(
            folds: try walk.int("folds", default: defaults.walkForward.folds, range: 1...20),
            initialTrainingFraction: try walk.double("initial_training_fraction", default: defaults.walkForward.initialTrainingFraction, range: 0.06...0.94),
            calibrationFraction: try walk.double("calibration_fraction", default: defaults.walkForward.calibrationFraction, range: 0.06...0.59),
            embargoMinutes: try walk.int("embargo_minutes", default: defaults.walkForward.embargoMinutes, range: 0...100_000))
        try Self.check(walkForward.validate(), walk)
        let boostingSettings = BoostingSettings(
            rounds: try boosting.int("rounds", default: defaults.boosting.rounds, range: 1...5000),
            learningRate: try boosting.double("learning_rate", default: defaults.boosting.learningRate, range: 0.001...1),
            maxDepth: try boosting.int("max_depth", default: defaults.boosting.maxDepth, range: 1...16),
            minChildSamples: try boosting.int("min_child_samples", default: defaults.boosting.minChildSamples, range: 1...100_000),
            rowSubsample: try boosting.double("row_subsample", default: defaults.boosting.rowSubsample, range: 0.05...1),
            columnSubsample: try boosting.double("column_subsample", default: defaults.boosting.columnSubsample, range: 0.05...1),
            seed: try boosting.int("seed", default: defaults.boosting.seed, range: 0...Int(Int32.max)))
        let blockDays = try statistics.int("bootstrap_block_days", default: 0, range: 0...365)
        let statisticsSettings = StatisticsSettings(
            bootstrapResamples: try statistics.int("bootstrap_resamples", default: defaults.statistics.bootstrapResamples, range: 100...100_000),
            bootstrapBlockDays: blockDays == 0 ? nil : blockDays,
            overfittingPartitions: try statistics.int("overfitting_partitions", default: defaults.statistics.overfittingPartitions, range: 4...20),
            randomBaselineDraws: try statistics.int("random_baseline_draws", default: defaults.statistics.randomBaselineDraws, range: 10...10_000),
            minimumCalibrationTrades: try statistics.int("minimum_calibration_trades", default: defaults.statistics.minimumCalibrationTrades,
                                                         range: 2...100_000),
            leaveOneSymbolOut: try statistics.bool("leave_one_symbol_out", default: defaults.statistics.leaveOneSymbolOut))
        try Self.check(statisticsSettings.validate(), statistics)
        let contextText = try train.string("context_symbol", default: defaults.contextSymbol?.name ?? "")
        var contextSymbol: Symbol?
        if !contextText.isEmpty {
            guard let symbol = Symbol(contextText) else { throw train.invalid("context_symbol", "must be a symbol such as \"BTCUSDT\" or \"\"") }
            contextSymbol = symbol
        }
        plan = TrainingPlan(
            labelSettings: labelSettings,
            decisionIntervalMinutes: try train.int("decision_interval_minutes", default: defaults.decisionIntervalMinutes, range: 1...240),
            walkForward: walkForward, boosting: boostingSettings,
            edge: EdgeCriterion(minimumTrades: try train.int("minimum_trades", default: defaults.edge.minimumTrades, range: 2...1_000_000),
                                minimumDeflatedSharpe: try train.double("minimum_deflated_sharpe", default: defaults.edge.minimumDeflatedSharpe,
                                                                        range: 0...0.9999)),
            baselineSeed: UInt64(try train.int("baseline_seed", default: Int(defaults.baselineSeed), range: 0...Int(Int32.max))),
            contextSymbol: contextSymbol,
            basketContext: try train.bool("basket_context", default: defaults.basketContext),
            models: try train.stringArray("models", default: defaults.models).map(TrainingPlan.modelKind(named:)),
            statistics: statisticsSettings)
        plan.deep = DeepSettings(
            windowSteps: try deep.int("window_steps", default: defaults.deep.windowSteps, range: 1...256),
            hidden: try deep.int("hidden", default: defaults.deep.hidden, range: 4...1024),
            heads: try deep.int("heads", default: defaults.deep.heads, range: 1...64),
            maxEpochs: try deep.int("max_epochs", default: defaults.deep.maxEpochs, range: 1...10_000),
            patience: try deep.int("patience", default: defaults.deep.patience, range: 1...1000),
            batchSize: try deep.int("batch_size", default: defaults.deep.batchSize, range: 1...100_000),
            learningRate: try deep.double("learning_rate", default: defaults.deep.learningRate, range: 0.000001...0.5),
            seed: try deep.int("seed", default: defaults.deep.seed, range: 0...Int(Int32.max)),
            validationFraction: try deep.double("validation_fraction", default: defaults.deep.validationFraction, range: 0.05...0.45))
        if plan.hasDeepModels { try Self.check(plan.deep.validate(), deep) }
        try Self.check(plan.validate(), train)
        modelDirectory = try train.string("model_dir", default: "runs/model")
        exitConfiguration = try train.optionalString("exit_config")
        let unused = document.unusedKeys().filter { $0 == "train" || $0.hasPrefix("train.") }
        if !unused.isEmpty {
            throw ConfigErrorList(unused.map {
                ConfigError(kind: .unknownKey, file: document.file, line: nil, key: $0, message: "unknown key '\($0)' in [train]")
            })
        }
    }

    /// Turns a settings error into a configuration error naming the file, line and key.
    private static func check(_ validation: @autoclosure () throws(SignalsError) -> Void, _ section: ConfigSection) throws(ConfigError) {
        do { try validation() } catch {
            if case let .invalidSetting(key, message) = error { throw section.invalid(key, message) }
            throw section.invalid("", error.description)
        }
    }
}
