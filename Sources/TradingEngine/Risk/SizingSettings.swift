import TradingModel

/// Position sizing from risk. Defaults: the loss at the stop is 0.5% of equity; one position may
/// tie up at most 20% of equity as margin; leverage at most 10×.
public struct SizingSettings: Sendable, Hashable {
    /// Share of equity lost when the stop is hit (`0.005` = 0.5%).
    public var riskPerTrade = Rate("0.005")!
    /// Margin budget of one position as a share of equity (also bounded by available margin).
    public var marginBudgetShare = Rate("0.2")!
    /// Highest leverage ever used (the instrument's tier may allow less).
    public var maximumLeverage = 10
    /// Rounds of plan → size → plan allowed for the exit plan's stop to settle.
    public var planningRounds = 4

    public init() {}

    public init(riskPerTrade: Rate, marginBudgetShare: Rate, maximumLeverage: Int) {
        self.riskPerTrade = riskPerTrade
        self.marginBudgetShare = marginBudgetShare
        self.maximumLeverage = maximumLeverage
    }
}
