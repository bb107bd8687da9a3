import TradingConfig
import TradingModel

/// `[execution]`: who protects open positions, and which price conditional orders watch.
///
/// `policy` is REQUIRED and has no default: the old bot silently fell back to a "legacy, no
/// policy" executor and never enforced its stop-loss. A missing, `legacy` or unknown policy is a
/// configuration error and the program does not start (fail closed).
public struct ExecutionSettings: Sendable, Hashable {
    /// The exit executor protecting every position.
    public enum Policy: String, Sendable, Hashable, CaseIterable {
        /// The tick-driven exit engine with an exchange-side backstop stop order.
        case exitEngine = "exit-engine"
        /// The ema-cross reference strategy's fixed stop/target bracket; for benchmarking only.
        case referenceBracket = "reference-bracket"
    }

    public var policy: Policy
    /// Which price triggers conditional (stop / take-profit) orders: `mark` or `last`.
    public var triggerPriceSource: TriggerPriceSource

    public init(policy: Policy, triggerPriceSource: TriggerPriceSource = ExecutionSettings.defaultTriggerPriceSource) {
        self.policy = policy
        self.triggerPriceSource = triggerPriceSource
    }

    /// Default for `trigger_price_source` (`"mark"`): the mark price resists single-trade wicks.
    public static let defaultTriggerPriceSource = TriggerPriceSource.markPrice

    public init(from section: ConfigSection) throws(ConfigError) {
        do {
            policy = try section.requiredChoice("policy", as: Policy.self)
        } catch var error where error.kind == .invalidValue && (try? section.requiredString("policy")) == "legacy" {
            error.message += " (the legacy executor never enforced its stop-loss; it no longer exists)"
            throw error
        }
        let source = try section.choice("trigger_price_source", allowed: ["mark", "last"], default: "mark")
        triggerPriceSource = source == "mark" ? .markPrice : .lastPrice
    }
}
