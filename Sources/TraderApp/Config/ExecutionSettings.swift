import TradingConfig
import TradingEngine
import TradingModel

/// `[execution]`: who protects open positions. (Which price the exits watch is `[exit]
/// price_source`, one setting for the executor, its backstop and the live stream.)
///
/// `policy` is REQUIRED and has no default: a silent fallback to an executor that does not
/// enforce the stop-loss is exactly what must never happen. A missing, `legacy` or unknown
/// policy is a configuration error and the program does not start (fail closed).
public struct ExecutionSettings: Sendable, Hashable {
    /// The exit owner protecting every position: the exit module's `ExecutionPolicy` (one parser).
    public typealias Policy = ExecutionPolicy

    public var policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

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
        if section.contains("trigger_price_source") {
            throw section.invalid("trigger_price_source", ExitSettings.onePriceSetting)
        }
    }
}
