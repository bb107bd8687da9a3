import Crypto
import Dashboard
import TradingConfig
import TradingEngine

/// The whole effective configuration of `qt`: one settings value per section.
///
/// Adding a section: put the settings type in its module, its mapping in
/// `Sources/TraderApp/Config/<Name>Settings+Config.swift` as
/// `extension <Name>Settings { init(from section: ConfigSection) throws(ConfigError) }`, then add
/// the field, its `map` line and its initialiser line below (one group per section) and append
/// its keys with their defaults and comments to `config/default.toml`.
public struct AppConfig: Sendable {
    public var storage: StorageSettings
    public var logging: LoggingSettings
    public var execution: ExecutionSettings
    // [exit]
    public var exit: ExitSettings
    public var watchdog: Watchdog.Settings

    // [validation]
    /// Includes `sizing` (from `[sizing]`).
    public var validation: ValidationSettings

    // [risk]
    public var risk: RiskSettings

    // [backtest]
    public var backtest: BacktestSettings

    // [strategy]
    /// Nil when the file has no `[strategy]` (only backtests need one).
    public var strategy: StrategySettings?

    // [live]
    public var live: LiveSettings

    // [alerts]
    public var alerts: AlertSettings

    // [dashboard]
    public var dashboard: DashboardSettings
    /// `sha256:` and the first 16 hex digits of the SHA-256 of the configuration file's text:
    /// stored with every run so results can be tied to the exact configuration.
    public var fingerprint: String

    /// Maps every section, collecting all section errors, then rejects unknown keys.
    public init(from document: ConfigDocument) throws(ConfigErrorList) {
        var mapper = ConfigMapper(document)
        let storage = mapper.map("storage") { try StorageSettings(from: $0) }
        let logging = mapper.map("logging") { try LoggingSettings(from: $0) }
        let execution = mapper.map("execution") { try ExecutionSettings(from: $0) }
        // [exit]
        let exit = mapper.map("exit") { try ExitSettings(from: $0) }
        let watchdog = mapper.map("watchdog") { try Watchdog.Settings(from: $0) }

        // [validation]
        let validation = mapper.map("validation") { try ValidationSettings(from: $0) }
        let sizing = mapper.map("sizing") { try SizingSettings(from: $0) }

        // [risk]
        let risk = mapper.map("risk") { try RiskSettings(from: $0) }

        // [backtest]
        let backtest = mapper.map("backtest") { try BacktestSettings(from: $0) }

        // [strategy]
        let strategySection = document.section("strategy")
        let strategy = strategySection.exists ? mapper.map(strategySection) { try StrategySettings(from: $0) } : nil

        // [live]
        let live = mapper.map("live") { try LiveSettings(from: $0) }

        // [alerts]
        let alerts = mapper.map("alerts") { try AlertSettings(from: $0) }

        // [dashboard]
        let dashboard = mapper.map("dashboard") { try DashboardSettings(from: $0) }

        try mapper.finish()
        // finish() threw if any map failed, so every value below is present.
        self.storage = storage!
        self.logging = logging!
        self.execution = execution!
        // [exit]
        self.exit = exit!
        self.watchdog = watchdog!

        // [validation]
        self.validation = validation!
        self.validation.sizing = sizing!

        // [risk]
        self.risk = risk!

        // [backtest]
        self.backtest = backtest!

        // [strategy]
        self.strategy = strategy

        // [live]
        self.live = live!

        // [alerts]
        self.alerts = alerts!

        // [dashboard]
        self.dashboard = dashboard!
        self.fingerprint = Self.fingerprintOf(text: document.text)
    }

    /// `sha256:<16 hex digits>` of `text`.
    public static func fingerprintOf(text: String) -> String {
        let digits = Array("0123456789abcdef")
        return "sha256:" + String(SHA256.hash(data: Array(text.utf8)).prefix(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// Reads, parses and maps a file; every problem is one line of the thrown list.
    public static func load(path: String) throws(ConfigErrorList) -> AppConfig {
        try load(path: path, overrides: [])
    }

    /// Reads a file and applies `KEY=VALUE` overrides (`qt backtest --set`) before mapping.
    public static func load(path: String, overrides: [String]) throws(ConfigErrorList) -> AppConfig {
        let document: ConfigDocument
        do {
            document = try ConfigDocument.load(path: path).overriding(overrides)
        } catch {
            throw ConfigErrorList([error])
        }
        return try AppConfig(from: document)
    }
}
