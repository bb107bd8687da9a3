import TradingConfig

/// `[storage]`: where runs, orders, fills, trades and exit states are recorded.
/// No secrets are ever stored (there are none in the schema; API keys stay in the environment),
/// and none are configured here: the PostgreSQL URL, which holds a password, comes from
/// `QT_POSTGRES_URL` in the environment or the key file (`StoreSecrets`).
public struct StorageSettings: Sendable, Hashable {
    /// Storage engines `qt` knows: `sqlite` (embedded, the default) and `postgres` (a server,
    /// for production and for several bots sharing one database).
    public enum Backend: String, Sendable, Hashable, CaseIterable {
        case sqlite
        case postgres
    }

    public var backend: Backend
    /// SQLite database file, relative to the working directory. Created (with its schema) on
    /// first use.
    public var path: String
    /// PostgreSQL: whose rows this process reads and writes (an account or strategy name);
    /// several bots share one database without seeing each other's rows.
    public var bot: String
    /// PostgreSQL: the longest one statement (or connecting) may wait for the server before the
    /// call fails.
    public var answerTimeout: Duration

    public init(backend: Backend = .sqlite, path: String = "qt.sqlite", bot: String = "default", answerTimeout: Duration = .seconds(10)) {
        self.backend = backend
        self.path = path
        self.bot = bot
        self.answerTimeout = answerTimeout
    }

    /// Where runs are recorded, for the terminal: the SQLite file, or the PostgreSQL bot (the
    /// server's URL holds a password and is never shown).
    public var location: String {
        switch backend {
        case .sqlite: path
        case .postgres: "PostgreSQL as bot \"\(bot)\""
        }
    }

    /// The in-code defaults (`config/default.toml` states the same values).
    public static let defaults = StorageSettings()

    public init(from section: ConfigSection) throws(ConfigError) {
        let defaults = StorageSettings.defaults
        backend = try section.choice("backend", default: defaults.backend)
        path = try section.string("path", default: defaults.path)
        if path.isEmpty { throw section.invalid("path", "must not be empty") }
        bot = try section.string("bot", default: defaults.bot)
        let nameBytes = bot.utf8
        let isName = (1...64).contains(nameBytes.count) && nameBytes.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E
        }
        if !isName { throw section.invalid("bot", "must be 1-64 letters, digits, '-', '_' or '.'") }
        answerTimeout = try section.duration("answer_timeout", default: defaults.answerTimeout, range: .milliseconds(100)...(.seconds(600)))
    }
}
