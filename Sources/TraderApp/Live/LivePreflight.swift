import TradingModel

/// The checks `qt live` makes before it touches a venue, in order; the first failure is one line.
///
/// 1. `--confirm-live` is required (real orders, even on testnet).
/// 2. Mainnet needs `[live] network = "mainnet"` in the file AND `--mainnet`; either alone is
///    refused (the URLs were already checked against the network when the file was read).
/// 3. Keys from the environment or a key file (`LiveCredentials.load`); mainnet has its own
///    variables (`QT_BINANCE_MAINNET_API_KEY` / `…_SECRET`).
/// 4. What may trade live money (`tradingRules`): `[execution] policy = "exit-engine"` (the
///    reference bracket places no exchange backstop) and `[strategy] name = "ema-cross"` or
///    `"ml-ensemble"` with `entry_gate = "validator"` (the fixed-notional sizer does no risk checks).
/// 5. The gate and exit owner are built from the file (`LiveComposition`), so a bad `[exit]`,
///    `[validation]`, `[sizing]` or `[risk]` stops here, before any venue call; for `ml-ensemble`
///    the model is loaded and checked for the session's symbols (directory, feature set, label
///    barriers = `stop_loss`/`take_profit`, market-context symbols, training window).
public enum LivePreflight {
    public struct Plan: Sendable, CustomStringConvertible {
        public var network: LiveSettings.Network
        public var restURL: String
        public var websocketURL: String
        public var credentials: LiveCredentials
        /// The start-up line: which network and which hosts (never a key).
        public var description: String {
            let keys = LiveCredentials.variableNames(for: network).key
            let hosts = "REST \(LiveSettings.host(of: restURL) ?? restURL), streams \(LiveSettings.host(of: websocketURL) ?? websocketURL)"
            return "live on \(network.rawValue.uppercased()) (\(hosts); \(restURL), \(websocketURL); keys from \(keys), redacted)"
        }
    }

    /// - Parameters:
    ///   - symbols: the symbols to trade (`ml-ensemble`: its model is checked against them).
    ///   - now: the session's start (`ml-ensemble`: checked against the model's training window).
    ///   - mainnet: `--mainnet` was given.
    public static func check(config: AppConfig, confirmLive: Bool, mainnet: Bool = false, environment: [String: String], keyFile: String?,
                             repositoryRoot: String?, symbols: [Symbol] = [],
                             now: Timestamp = Timestamp(milliseconds: 0)) throws(LiveRuntimeError) -> Plan {
        let live = config.live
        guard confirmLive else {
            throw LiveRuntimeError("qt live sends real orders: add --confirm-live to confirm (network: \(live.network.rawValue), \(live.restHost))")
        }
        if live.network == .mainnet && !mainnet {
            throw LiveRuntimeError("[live] network = \"mainnet\" trades real money on Binance (\(live.restHost)): add --mainnet to confirm it is meant")
        }
        if mainnet && live.network != .mainnet {
            throw LiveRuntimeError("--mainnet given, but the file's [live] network is \"\(live.network.rawValue)\" (\(live.restHost)); "
                                   + "set network = \"mainnet\" in the file, or drop --mainnet")
        }
        let credentials: LiveCredentials
        do {
            credentials = try LiveCredentials.load(environment: environment, keyFile: keyFile, repositoryRoot: repositoryRoot, network: live.network)
        } catch {
            throw LiveRuntimeError(error.message)
        }
        let strategy = try tradingRules(config)
        switch strategy.name {
        case .emaCross:
            _ = try LiveComposition(config: config, maker: EMACrossMaker(strategy), barInterval: .seconds(60), start: now, store: nil)
        case .mlEnsemble:
            let maker = try MLEnsembleMaker.live(strategy: strategy, symbols: symbols, start: now)
            _ = try LiveComposition(config: config, maker: maker, barInterval: .seconds(60), start: now, store: nil)
        }
        return Plan(network: config.live.network, restURL: config.live.restURL, websocketURL: config.live.websocketURL, credentials: credentials)
    }

    /// What may trade live money; returns the strategy. Checked by `check` and again by
    /// `LiveComposition` (a runtime is never built for a configuration these refuse).
    public static func tradingRules(_ config: AppConfig) throws(LiveRuntimeError) -> StrategySettings {
        guard config.execution.policy == .exitEngine else {
            throw LiveRuntimeError("[execution] policy = \"\(config.execution.policy.rawValue)\" places no exchange backstop; live trading requires \"exit-engine\"")
        }
        guard let strategy = config.strategy else {
            throw LiveRuntimeError("live trading needs a [strategy] section (name = \"ema-cross\" or \"ml-ensemble\", entry_gate = \"validator\")")
        }
        guard strategy.entryGate == .validator else {
            throw LiveRuntimeError("live trading needs a strategy with a validated entry gate (pre-trade validation and risk checks); "
                                   + "the \(strategy.entryGate.rawValue) sizer does no risk validation and is refused live: set [strategy] entry_gate = \"validator\"")
        }
        return strategy
    }
}
