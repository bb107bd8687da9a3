import TradingConfig
import TradingEngine
import TradingModel

/// `[execution]`: who protects open positions, and which price conditional orders watch.
///
/// `policy` is REQUIRED and has no default: the old bot silently fell back to a "legacy, no
/// policy" executor and never enforced its stop-loss. A missing, `legacy` or unknown policy is a
/// configuration error and the program does not start (fail closed).
public struct ExecutionSettings: Sendable, Hashable {
    /// The exit owner protecting every position: the exit module's `ExecutionPolicy` (one parser).
    public typealias Policy = ExecutionPolicy

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
        let text = try section.requiredString("policy")
        do {
            policy = try ExecutionPolicy.parse(text, source: section.fullKey("policy"))
        } catch {
            let allowed = ExecutionPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            var message = "= \"\(text)\" is not one of: \(allowed)"
            if text == "legacy" { message += " (the legacy executor never enforced its stop-loss; it no longer exists)" }
            throw section.invalid("policy", message)
        }
        let source = try section.choice("trigger_price_source", allowed: ["mark", "last"], default: "mark")
        triggerPriceSource = source == "mark" ? .markPrice : .lastPrice
    }
}
