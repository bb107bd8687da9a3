import ServiceLifecycle
import TradingEngine
import TradingModel

extension TraderBuilder {
    /// `qt live`: the checks, in order, the first failure being one line:
    ///
    /// 1. At least one symbol; `--confirm-live` (real orders, even on testnet).
    /// 2. Mainnet needs `[live] network = "mainnet"` in the file AND `--mainnet`; either alone is
    ///    refused (the URLs were checked against the network when the file was read).
    /// 3. Keys from the environment or the key file (`LiveCredentials.load`); mainnet has its own
    ///    variables (`QT_BINANCE_MAINNET_API_KEY` / `…_SECRET`).
    /// 4. What may trade live money (`liveTradingRules`): `[execution] policy = "exit-engine"` and
    ///    `[strategy] entry_gate = "validator"`.
    /// 5. The strategy: for `ml-ensemble` the model is loaded and checked for the symbols and the
    ///    session's start (directory, feature set, label barriers, context symbols, training window).
    /// 6. The store's and the account's locks (`LiveLock`, one session each), the store, the gate
    ///    and exit owner from the file (`[exit]`, `[validation]`, `[sizing]`, `[risk]`, the
    ///    store's manual halt), the alert services and the dashboard.
    func buildLive(_ request: LiveRequest) throws(StartupError) -> Trader {
        guard !request.symbols.isEmpty else {
            throw StartupError(.confirmation, "qt live needs at least one symbol (--symbols A,B)", field: "--symbols")
        }
        let plan = try venueAccess(request)
        let strategy = try liveTradingRules()
        let now = environment.clock.now
        let choice = try StrategyChoice(strategy, symbols: request.symbols, barInterval: .seconds(60), period: (now, now))
        // One session per store and per account: held until the trader has run (or is dropped).
        let lock: LiveLock
        do {
            lock = try LiveLock.acquire(storePath: config.storage.path, restHost: config.live.restHost, apiKey: plan.credentials.apiKey,
                                        lockDirectory: environment.lockDirectory ?? LiveLock.defaultDirectory(environment: environment.variables),
                                        now: now)
        } catch {
            throw StartupError(.lock, error.message, cause: error)
        }
        let store = try openStore()
        let session = try LiveTradingSession(config: config, plan: plan, symbols: request.symbols, choice: choice, store: store,
                                          runTag: lock.runTag, environment: environment)
        let label = "live on \(plan.network.rawValue): \(request.symbols.map(\.name).joined(separator: ","))"
        let alerts = try makeAlerts(store: store, label: label)
        let dashboard = try makeDashboard(store: store, label: label)
        let observer = self.observer(alerts: alerts, dashboard: dashboard?.0)
        // The session's lanes, streams and timer start before it, so the group stops them after it.
        var others: [ServiceGroupConfiguration.ServiceConfiguration] = dashboard.map { [.init(service: $0.1)] } ?? []
        others += session.services.serviceConfigurations
        return Trader(kind: .live, label: label, store: store, alerts: alerts, others: others, environment: environment,
                      notes: choice.notes, venueAccess: plan, lock: lock,
                      stopDetail: { outcome in
                          guard case .live(let result) = outcome else { return "stopped" }
                          return "\(result.trades.count) trade(s); \(result.openPositions.count) position(s) left open, protected by their exchange-side backstops"
                      },
                      session: { stop in .live(try await session.run(alerting: alerts.center, observer: observer, until: stop)) })
    }

    /// Steps 1–3: confirmation, network and keys.
    func venueAccess(_ request: LiveRequest) throws(StartupError) -> VenueAccess {
        let live = config.live
        guard request.confirmLive else {
            throw StartupError(.confirmation, "qt live sends real orders: add --confirm-live to confirm (network: \(live.network.rawValue), \(live.restHost))",
                               field: "--confirm-live")
        }
        if live.network == .mainnet && !request.mainnet {
            throw StartupError(.confirmation, "[live] network = \"mainnet\" trades real money on Binance (\(live.restHost)): add --mainnet to confirm it is meant",
                               field: "--mainnet")
        }
        if request.mainnet && live.network != .mainnet {
            throw StartupError(.confirmation, "--mainnet given, but the file's [live] network is \"\(live.network.rawValue)\" (\(live.restHost)); "
                               + "set network = \"mainnet\" in the file, or drop --mainnet", field: "[live] network")
        }
        let credentials: LiveCredentials
        do {
            credentials = try LiveCredentials.load(environment: environment.variables, keyFile: environment.keyFile,
                                                   repositoryRoot: environment.repositoryRoot, network: live.network)
        } catch {
            throw StartupError(.credentials, error.message, field: LiveCredentials.variableNames(for: live.network).key, cause: error)
        }
        return VenueAccess(network: live.network, restURL: live.restURL, websocketURL: live.websocketURL, credentials: credentials)
    }

    /// Step 4, what may trade live money; returns the strategy.
    func liveTradingRules() throws(StartupError) -> StrategySettings {
        guard config.execution.policy == .exitEngine else {
            throw StartupError(.configuration, "[execution] policy = \"\(config.execution.policy.rawValue)\" places no exchange backstop; "
                               + "live trading requires \"exit-engine\"", field: "[execution] policy")
        }
        guard let strategy = config.strategy else {
            throw StartupError(.configuration, "live trading needs a [strategy] section (name = \"ema-cross\" or \"ml-ensemble\", entry_gate = \"validator\")",
                               field: "[strategy]")
        }
        guard strategy.entryGate == .validator else {
            throw StartupError(.configuration, "live trading needs a strategy with a validated entry gate (pre-trade validation and risk checks); "
                               + "the \(strategy.entryGate.rawValue) sizer does no risk validation and is refused live: set [strategy] entry_gate = \"validator\"",
                               field: "[strategy] entry_gate")
        }
        return strategy
    }
}
