import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel
import Dashboard

/// Builds a `Trader` from a configuration: the one composition root of `qt backtest`, `qt paper`
/// and `qt live` and of the tests that run them (Hummingbird's `buildApplication` pattern).
///
/// `build` makes every check and builds every part before anything is traded, in order: what
/// the mode allows (`[execution]`, `[strategy]`, confirmation flags, keys), the strategy (for
/// `ml-ensemble` the model is loaded and checked, once), the account lock, the store, the entry
/// gate and exit owner (`TradingWiring`, with the store's manual halt), the alert services and
/// the dashboard. A refusal is one `StartupError` naming the field to fix; nothing was sent.
/// The built `Trader` then runs its services in one `ServiceGroup` (`Trader.run`).
public struct TraderBuilder: Sendable {
    public let config: AppConfig
    public let environment: TraderEnvironment

    public init(_ config: AppConfig, environment: TraderEnvironment = TraderEnvironment()) {
        self.config = config
        self.environment = environment
    }

    public func build(_ mode: TraderMode) throws(StartupError) -> Trader {
        switch mode {
        case .backtest(let request): try buildBacktest(request)
        case .paper(let source): try buildPaper(source)
        case .live(let request): try buildLive(request)
        }
    }

    // MARK: - Shared parts

    /// The `[strategy]` section (every mode needs one).
    func strategySettings(_ purpose: String) throws(StartupError) -> StrategySettings {
        guard let strategy = config.strategy else {
            throw StartupError(.configuration, "the configuration has no [strategy] section; \(purpose) needs one (name, entry_gate)",
                               field: "[strategy]")
        }
        return strategy
    }

    /// The injected store, or the one `[storage]` names (created and migrated if needed).
    func openStore() throws(StartupError) -> any TradeStore {
        if let store = environment.store { return store }
        let secrets: StoreSecrets
        do {
            secrets = try StoreSecrets.load(environment: environment.variables, keyFile: environment.keyFile,
                                            repositoryRoot: environment.repositoryRoot)
        } catch {
            throw StartupError(.credentials, error.message, field: StoreSecrets.urlName, cause: error)
        }
        do { return try TradeStoreFactory.make(config.storage, secrets: secrets) } catch {
            throw StartupError(.store, "cannot open the \(config.storage.backend.rawValue) store \(config.storage.path): \(error)",
                               field: "[storage]", cause: error)
        }
    }

    /// The alert services of a session on a venue (`[alerts]`; secrets from the key file or the
    /// environment). `clock`: the session's time base when it is not the environment's (a replay).
    func makeAlerts(store: any TradeStore, label: String, clock: (any TradingClock)? = nil) throws(StartupError) -> AlertServices {
        let secrets: AlertSecrets
        do {
            secrets = try AlertSecrets.load(settings: config.alerts, environment: environment.variables, keyFile: environment.keyFile,
                                            repositoryRoot: environment.repositoryRoot)
        } catch {
            throw StartupError(.credentials, error.message, field: "[alerts]", cause: error)
        }
        return AlertServices(settings: config.alerts, secrets: secrets, store: store, sessionLabel: label, console: environment.console,
                             priceSource: config.exit.priceSource.priceEventSource,
                             environment: environment.alerts ?? .live(clock: clock ?? environment.clock))
    }

    /// The console beside the session when `[dashboard] enabled` (nil otherwise), with its
    /// server as a service that says its address once bound.
    func makeDashboard(store: any TradeStore, label: String) throws(StartupError) -> (DashboardServices, any Service)? {
        guard config.dashboard.enabled else { return nil }
        do {
            let dashboard = try DashboardServices(settings: config.dashboard, store: store, label: label, strategy: config.strategy,
                                                  clock: environment.clock, inSession: true,
                                                  priceSource: config.exit.priceSource.priceEventSource)
            if let warning = dashboard.warning { environment.say("warning: \(warning)") }
            let say = environment.say
            let service = try dashboard.service { port in
                say("dashboard: \(dashboard.url(port: port)) (log in with the password from qt dashboard set-password)")
            }
            return (dashboard, service)
        } catch {
            throw StartupError(.services, "[dashboard]: \(error.message)", field: "[dashboard]", cause: error)
        }
    }

    /// The runtime's observers: the alert rules, the dashboard's and the environment's, as one.
    func observer(alerts: AlertServices?, dashboard: DashboardServices?) -> (any RuntimeObserver)? {
        let all: [any RuntimeObserver] = [alerts?.observer, dashboard?.observer, environment.observer].compactMap { $0 }
        switch all.count {
        case 0: return nil
        case 1: return all[0]
        default: return RuntimeObservers(all)
        }
    }
}
