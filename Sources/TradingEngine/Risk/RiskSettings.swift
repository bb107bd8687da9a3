import TradingModel

/// Limits of the risk engine. Defaults: halt at a 2% daily loss (realized + unrealized, of the
/// UTC day's starting equity), reduce size by half from a 1% daily loss, do not flatten on halt,
/// resume automatically at the next UTC day after a daily-loss halt (never after a manual halt).
public struct RiskSettings: Sendable, Hashable {
    /// Daily loss, as a share of start-of-day equity, at which new entries halt (`0.02` = 2%).
    public var dailyLossLimit = Rate("0.02")!
    /// Daily loss at which the engine goes to REDUCING; nil disables the soft limit.
    public var reducingThreshold: Rate? = Rate("0.01")
    /// Size multiplier while REDUCING.
    public var reducingSizeMultiplier = Rate("0.5")!
    /// Emit `flattenAll` when the daily loss limit halts the engine.
    public var flattenOnHalt = false
    /// Return to ACTIVE at the first equity update of a new UTC day after a daily-loss halt or
    /// reduction. Manual halts always need a manual resume.
    public var resumeAtNewDay = true

    public init() {}
}
