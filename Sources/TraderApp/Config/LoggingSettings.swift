import TradingConfig
import Logging

/// `[logging]`: how much the process logs.
public struct LoggingSettings: Sendable, Hashable {
    /// Lowest level written: trace, debug, info, notice, warning, error, critical.
    public var level: Logger.Level

    public init(level: Logger.Level = .info) { self.level = level }

    /// The in-code defaults (`config/default.toml` states the same values).
    public static let defaults = LoggingSettings()

    public init(from section: ConfigSection) throws(ConfigError) {
        level = try section.choice("level", default: LoggingSettings.defaults.level)
    }
}
