import Synchronization
import Signals
import TradingEngine
import TradingModel

/// `ml-ensemble` for a paper or live runtime. `init` loads the model and makes every check of
/// `qt backtest` (model directory and feature set, exit levels equal to the label barriers, one
/// minute bars, market-context symbols, the period against the training window) before any
/// venue call: a missing or mismatched model refuses the session (fail closed).
///
/// The model is loaded once, here: the strategies prepared over it wait in a hand-off box until
/// the one runtime of the session takes them (`makeStrategies`; its actor then owns them). A
/// second runtime from the same maker (not made by the app) loads the directory again and
/// refuses a model whose version changed since the check.
struct MLEnsembleMaker: StrategyMaker {
    let settings: MLEnsembleSettings
    let stopLoss: Rate
    let takeProfit: Rate
    let symbols: [Symbol]
    let periodStart: Timestamp
    let periodEnd: Timestamp
    let barInterval: Duration
    /// The checked model's version (hash of its files).
    let version: String
    let notes: [String]
    /// The strategies prepared at the check, for the first runtime.
    private let prepared: PreparedStrategies

    /// - Parameters:
    ///   - symbols: every symbol of the session (all feed the features; each trades).
    ///   - periodStart/periodEnd: the session's period (live and live data: from the start; a
    ///     replayed file: its first and last candle), checked against the training window.
    ///   - barInterval: the bars the strategy sees (one minute, else refused).
    init(strategy: StrategySettings, symbols: [Symbol], periodStart: Timestamp, periodEnd: Timestamp,
         barInterval: Duration = .seconds(60)) throws(MLBacktestError) {
        guard let ml = strategy.mlEnsemble else {
            throw .modelUnavailable(directory: "", reason: "[strategy] ml-ensemble needs model_dir and threshold")
        }
        settings = ml
        stopLoss = strategy.stopLoss
        takeProfit = strategy.takeProfit
        self.symbols = symbols
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.barInterval = barInterval
        let ensemble = try MLStrategyFactory.loadModel(directory: ml.modelDirectory)
        let prepared = try MLStrategyFactory.prepare(ensemble: ensemble, settings: ml, stopLoss: strategy.stopLoss, takeProfit: strategy.takeProfit,
                                                     symbols: symbols, periodStart: periodStart, periodEnd: periodEnd, barInterval: barInterval)
        version = ensemble.version
        notes = prepared.notes
        self.prepared = PreparedStrategies(symbols: symbols, strategies: prepared.strategies)
    }

    var label: String { "\(MLEnsembleStrategy.name)@\(version)" }

    /// The features' need (`FeatureEngine.warmUp`: 35 complete hours for the 1 h indicators).
    var warmUp: StrategyWarmUp {
        let need = FeatureEngine.warmUp
        return StrategyWarmUp(hours: need.hourBars, bars: need.minuteBars)
    }

    func makeStrategies(symbols: [Symbol]) throws -> [MLEnsembleSymbolStrategy] {
        guard Set(symbols) == Set(self.symbols) else {
            throw MLBacktestError.modelUnavailable(directory: settings.modelDirectory,
                                                   reason: "checked for \(self.symbols) but asked for \(symbols)")
        }
        if let strategies = prepared.take(symbols: symbols) { return strategies }
        let ensemble = try MLStrategyFactory.loadModel(directory: settings.modelDirectory)
        guard ensemble.version == version else {
            throw MLBacktestError.modelUnavailable(directory: settings.modelDirectory,
                                                   reason: "the model changed since the start-up check (version \(version), now \(ensemble.version))")
        }
        return try MLStrategyFactory.prepare(ensemble: ensemble, settings: settings, stopLoss: stopLoss, takeProfit: takeProfit, symbols: symbols,
                                             periodStart: periodStart, periodEnd: periodEnd, barInterval: barInterval).strategies
    }
}

/// The strategies prepared over the loaded model, handed to one runtime. A lock-protected box
/// (`@unchecked Sendable`: the non-Sendable strategies are only touched under `lock`, and `take`
/// hands them over once, after which this box no longer refers to them).
private final class PreparedStrategies: @unchecked Sendable {
    private let lock = Mutex(())
    private let symbols: [Symbol]
    private var strategies: [MLEnsembleSymbolStrategy]?

    init(symbols: [Symbol], strategies: [MLEnsembleSymbolStrategy]) {
        self.symbols = symbols
        self.strategies = strategies
    }

    /// The strategies in the order of `symbols` the first time (nil after, or for other symbols).
    func take(symbols wanted: [Symbol]) -> [MLEnsembleSymbolStrategy]? {
        lock.withLock { _ in
            guard let strategies, wanted == symbols else { return nil }
            self.strategies = nil
            return strategies
        }
    }
}
