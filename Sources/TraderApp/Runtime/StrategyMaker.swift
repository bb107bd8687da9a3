import TradingEngine
import TradingModel

/// Makes the per-symbol strategies of a paper or live runtime. Built from the configuration
/// (and, for `ml-ensemble`, the checked model) before any venue call, so a bad strategy setting
/// refuses the session before it opens; `makeStrategies` then builds fresh strategies for one
/// runtime (they move into the runtime's actor with its kernel).
protocol StrategyMaker: Sendable {
    associatedtype Strategy: TradingStrategy
    /// The strategy's name in run labels (`ema-cross`, `ml-ensemble@<model version>`).
    var label: String { get }
    /// Contiguous one-minute history the strategy needs before its first signal (the live
    /// back-fill's length, with `[validation]`'s needs: `WarmUpPlan`).
    var warmUp: StrategyWarmUp { get }
    /// Lines about the strategy for the terminal (model, windows, in-sample warning).
    var notes: [String] { get }
    /// One strategy per symbol, same order, for one runtime.
    func makeStrategies(symbols: [Symbol]) throws -> [Strategy]
}

extension StrategyMaker {
    /// The history a warm start back-fills (`qt live`, `qt paper --venue`): the strategy's need
    /// and, when the validator judges entries (`validation` given), `[validation]`'s.
    func warmUpPlan(validation: ValidationSettings?, symbols: [Symbol]) -> WarmUpPlan {
        guard let validation else { return WarmUpPlan(requiredHours: warmUp.hours, strategyBars: warmUp.bars) }
        return WarmUpPlan(validation: validation, strategyHours: warmUp.hours, strategyBars: warmUp.bars, symbols: symbols)
    }
}

/// History a strategy needs before it can signal: `hours` complete clock hours and `bars`
/// contiguous one-minute bars.
struct StrategyWarmUp: Sendable, Hashable {
    var hours: Int
    var bars: Int
}

/// `ema-cross`: fast/slow EMA crossover on closed bars.
struct EMACrossMaker: StrategyMaker {
    let fastPeriod: Int
    let slowPeriod: Int

    init(_ strategy: StrategySettings) {
        fastPeriod = strategy.fastPeriod
        slowPeriod = strategy.slowPeriod
    }

    var label: String { StrategySettings.Name.emaCross.rawValue }
    /// 4 × the slow EMA period (the seed's weight is then below e⁻⁸); no hourly need.
    var warmUp: StrategyWarmUp { StrategyWarmUp(hours: 0, bars: 4 * slowPeriod) }
    var notes: [String] { [] }

    func makeStrategies(symbols: [Symbol]) -> [EMACrossStrategy] {
        symbols.map { EMACrossStrategy(symbol: $0, fastPeriod: fastPeriod, slowPeriod: slowPeriod) }
    }
}
