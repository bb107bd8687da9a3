/// State of the risk engine.
public enum RiskState: String, Sendable, Hashable, Codable, CustomStringConvertible {
    /// New entries at full size.
    case active = "ACTIVE"
    /// New entries at a reduced size (`RiskSettings.reducingSizeMultiplier`).
    case reducing = "REDUCING"
    /// No new entries; existing positions keep their exits (or are flattened when configured).
    case halted = "HALTED"

    public var description: String { rawValue }
}
