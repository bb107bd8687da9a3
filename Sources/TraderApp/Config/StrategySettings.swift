import TradingConfig
import TradingEngine
import TradingModel

/// `[strategy]`: which strategy a backtest runs and how its entries are sized. No default
/// strategy and no default entry gate: both must be named (fail closed).
public struct StrategySettings: Sendable, Hashable {
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case emaCross = "ema-cross"
        case mlEnsemble = "ml-ensemble"
    }

    /// Entry gates a backtest can use. `fixed-notional` is the reference benchmark's sizer and
    /// does no risk validation; `validator` is the `PreTradeValidator` (`[validation]`, `[sizing]`,
    /// `[risk]`) with the `ExitBrain` as its exit planner.
    public enum EntryGateName: String, Sendable, Hashable, CaseIterable {
        case fixedNotional = "fixed-notional"
        case validator
    }

    public var name: Name
    public var entryGate: EntryGateName
    /// `ema-cross` only (read only for it; the defaults below are unused otherwise).
    public var fastPeriod: Int
    public var slowPeriod: Int
    public var notional: Money
    public var leverage: Int
    /// Stop and target as price moves from entry (`0.012` = 1.2%).
    public var stopLoss: Rate
    public var takeProfit: Rate
    /// Floor quantities to the step and round levels to the tick (false = reference mode).
    public var roundToExchangeGrid: Bool
    /// `ml-ensemble` only: the model and its threshold (nil for other strategies).
    public var mlEnsemble: MLEnsembleSettings?

    public init(from section: ConfigSection) throws(ConfigError) {
        name = try section.requiredChoice("name", as: Name.self)
        entryGate = try section.requiredChoice("entry_gate", as: EntryGateName.self)
        // Strategy-specific keys are read only for their strategy, so the strict mapping rejects
        // e.g. `fast_period` in an ml-ensemble section or `model_dir` in an ema-cross one.
        fastPeriod = 12
        slowPeriod = 26
        switch name {
        case .emaCross:
            fastPeriod = try section.int("fast_period", default: 12, range: 1...1000)
            slowPeriod = try section.int("slow_period", default: 26, range: 2...5000)
            if slowPeriod <= fastPeriod { throw section.invalid("slow_period", "must be greater than fast_period (\(fastPeriod))") }
        case .mlEnsemble:
            mlEnsemble = try MLEnsembleSettings(from: section)
        }
        notional = try section.money("notional", default: Money(units: 1000), range: Money(units: 1)...Money(units: 10_000_000))
        leverage = try section.int("leverage", default: 1, range: 1...125)
        stopLoss = try section.rate("stop_loss", default: Rate("0.012")!, range: Rate("0.0001")!...Rate("0.5")!)
        takeProfit = try section.rate("take_profit", default: Rate("0.0186")!, range: Rate("0.0001")!...Rate("5")!)
        if takeProfit >= Rate(units: 1) {
            throw section.invalid("take_profit", "(\(takeProfit)) must be below 1 (100%): a short's target, entry × (1 − take_profit), "
                                  + "would be at or below zero")
        }
        roundToExchangeGrid = try section.bool("round_to_exchange_grid", default: true)
    }
}
