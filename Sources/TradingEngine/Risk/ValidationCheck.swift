/// The checks of pre-trade validation, named in reasons (`checkUnavailable(trend, …)`) and in
/// reports.
public enum ValidationCheck: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case riskState = "risk_state"
    case marketData = "market_data"
    case confidence
    case trend
    case regime
    case correlation
    case directionalExposure = "directional_exposure"
    case openPositions = "open_positions"
    case notionalCaps = "notional_caps"
    case funding
    case cooldown
    case sizing
    case exitPlan = "exit_plan"
    case liquidationDistance = "liquidation_distance"

    public var description: String { rawValue }
}
