import TradingConfig

/// `[storage]`: where runs, orders, fills, trades and exit states are recorded.
/// No secrets are ever stored (there are none in the schema; API keys stay in the environment).
public struct StorageSettings: Sendable, Hashable {
    /// Storage engines `qt` knows. Only SQLite for now.
    public enum Backend: String, Sendable, Hashable, CaseIterable {
        case sqlite
    }

    public var backend: Backend
    /// Database file, relative to the working directory. Created (with its schema) on first use.
    public var path: String

    public init(backend: Backend = .sqlite, path: String = "qt.sqlite") {
        self.backend = backend
        self.path = path
    }

    /// The in-code defaults (`config/default.toml` states the same values).
    public static let defaults = StorageSettings()

    public init(from section: ConfigSection) throws(ConfigError) {
        let defaults = StorageSettings.defaults
        backend = try section.choice("backend", default: defaults.backend)
        path = try section.string("path", default: defaults.path)
        if path.isEmpty { throw section.invalid("path", "must not be empty") }
    }
}
