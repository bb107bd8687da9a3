import TradingModel

/// Everything `qt train` needs besides the data: one value, read from the `[train]` section.
public struct TrainingPlan: Sendable, Hashable, Codable {
    public var labelSettings: TripleBarrierSettings
    /// Decision bars are the one-minute closes on multiples of this many minutes.
    public var decisionIntervalMinutes: Int
    public var walkForward: WalkForwardSettings
    public var boosting: BoostingSettings
    public var edge: EdgeCriterion
    /// Seed of every random draw of the evaluation (bootstraps, the random-entry baseline).
    public var baselineSeed: UInt64
    /// Market-context reference symbol (used when several symbols are loaded and it is among them).
    public var contextSymbol: Symbol?
    /// When several symbols are loaded without the reference symbol, use an equal-weighted basket
    /// of all of them as the market context.
    public var basketContext: Bool
    /// Which models to train (`xgboost`, `lightgbm`).
    public var models: [String]
    /// Bootstrap, overfitting and baseline settings of the evaluation.
    public var statistics: StatisticsSettings
    /// Hyper-parameters of the deep members (nhits, tft), when any is requested.
    public var deep: DeepSettings = DeepSettings()

    public init(labelSettings: TripleBarrierSettings = TripleBarrierSettings(), decisionIntervalMinutes: Int = 15,
                walkForward: WalkForwardSettings = WalkForwardSettings(), boosting: BoostingSettings = BoostingSettings(),
                edge: EdgeCriterion = EdgeCriterion(), baselineSeed: UInt64 = 42, contextSymbol: Symbol? = "BTCUSDT",
                basketContext: Bool = true, models: [String] = [XGBoostModel.kind, LightGBMModel.kind],
                statistics: StatisticsSettings = StatisticsSettings()) {
        self.labelSettings = labelSettings
        self.decisionIntervalMinutes = decisionIntervalMinutes
        self.walkForward = walkForward
        self.boosting = boosting
        self.edge = edge
        self.baselineSeed = baselineSeed
        self.contextSymbol = contextSymbol
        self.basketContext = basketContext
        self.models = models
        self.statistics = statistics
    }

    public func validate() throws(SignalsError) {
        try labelSettings.validate()
        try walkForward.validate()
        try boosting.validate()
        try statistics.validate()
        guard decisionIntervalMinutes >= 1, decisionIntervalMinutes <= 240 else {
            throw .invalidSetting(key: "decision_interval_minutes", message: "must be in 1...240")
        }
        guard !models.isEmpty, models.allSatisfy(Self.knownKinds.contains), Set(models).count == models.count else {
            throw .invalidSetting(key: "models", message: "choose from \(Self.knownKinds.joined(separator: ", ")) (each once); got \(models)")
        }
        if hasDeepModels { try deep.validate() }
        guard edge.minimumTrades >= 2 else { throw .invalidSetting(key: "minimum_trades", message: "must be at least 2") }
        guard edge.minimumDeflatedSharpe >= 0, edge.minimumDeflatedSharpe < 1 else {
            throw .invalidSetting(key: "minimum_deflated_sharpe", message: "must be in [0, 1), got \(edge.minimumDeflatedSharpe)")
        }
    }

    public static let deepKinds = [NHiTSModel.architecture, TFTModel.architecture]
    public static let knownKinds = [XGBoostModel.kind, LightGBMModel.kind] + deepKinds

    /// A model kind from its name or short alias (`xgb`, `lgbm`); unknown names pass through
    /// (and fail validation with the list of choices).
    public static func modelKind(named name: String) -> String {
        switch name.lowercased() {
        case "xgb": XGBoostModel.kind
        case "lgbm", "lgb": LightGBMModel.kind
        default: name.lowercased()
        }
    }

    public var hasDeepModels: Bool { models.contains(where: Self.deepKinds.contains) }

    /// The library version recorded for a member (the deep ones: the plugin's libtorch).
    public static func libraryVersion(kind: String) -> String {
        switch kind {
        case XGBoostModel.kind: XGBoostModel.libraryVersion
        case LightGBMModel.kind: LightGBMModel.libraryVersion
        case NHiTSModel.kind: NHiTSModel.libraryVersion
        default: TFTModel.libraryVersion
        }
    }

    /// Sequence windows of `rows` of the dataset for the deep members (with forward-return targets
    /// when training).
    public func windows(dataset: SignalDataset, rows: [Int], withTargets: Bool) -> SequenceWindows {
        SequenceIndex(samples: dataset.samples).windows(
            rows: rows, steps: deep.windowSteps, decisionIntervalMinutes: decisionIntervalMinutes,
            futureSteps: SequenceWindows.futureSteps(labelSettings: labelSettings, decisionIntervalMinutes: decisionIntervalMinutes),
            targetsFor: withTargets ? labelSettings : nil)
    }

    /// The feature set for these symbols: with market context only when several symbols are loaded.
    public func featureSet(symbols: [Symbol]) -> FeatureSet {
        .standard(marketContext: contextSource(symbols: symbols) != nil)
    }

    /// The reference symbol when loaded, else a basket of all symbols (if enabled), else none;
    /// always none for a single symbol.
    public func contextSource(symbols: [Symbol]) -> MarketContextSource? {
        guard symbols.count > 1 else { return nil }
        if let contextSymbol, symbols.contains(contextSymbol) { return .symbol(contextSymbol) }
        return basketContext ? .basket(symbols.sorted()) : nil
    }
}
