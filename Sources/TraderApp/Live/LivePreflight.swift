/// The checks `qt live` makes before it touches a venue, in order; the first failure is one line.
///
/// 1. `--confirm-live` is required (real orders, even on testnet).
/// 2. Mainnet needs `[live] network = "mainnet"` in the file AND the flag; otherwise testnet.
/// 3. Keys from the environment or a key file (see `LiveCredentials.load`).
/// 4. The execution policy must be `exit-engine`: the reference bracket places no exchange
///    backstop, so it is never allowed live.
/// 5. A strategy with a validated entry gate (risk checks) must be configured.
public enum LivePreflight {
    public struct Plan: Sendable, CustomStringConvertible {
        public var network: LiveSettings.Network
        public var restURL: String
        public var websocketURL: String
        public var credentials: LiveCredentials
        public var description: String { "live on \(network.rawValue): \(restURL), \(websocketURL) (keys loaded, redacted)" }
    }

    public static func check(config: AppConfig, confirmLive: Bool, environment: [String: String], keyFile: String?,
                             repositoryRoot: String?) throws(LiveRuntimeError) -> Plan {
        guard confirmLive else {
            throw LiveRuntimeError("qt live sends real orders: add --confirm-live to confirm (network: \(config.live.network.rawValue))")
        }
        let credentials: LiveCredentials
        do { credentials = try LiveCredentials.load(environment: environment, keyFile: keyFile, repositoryRoot: repositoryRoot) } catch {
            throw LiveRuntimeError(error.message)
        }
        guard config.execution.policy == .exitEngine else {
            throw LiveRuntimeError("[execution] policy = \"\(config.execution.policy.rawValue)\" places no exchange backstop; live trading requires \"exit-engine\"")
        }
        guard let strategy = config.strategy, strategy.entryGate != .fixedNotional else {
            throw LiveRuntimeError("live trading needs a strategy with a validated entry gate (pre-trade validation and risk checks); "
                                   + "the fixed-notional sizer does no risk validation and is refused live")
        }
        return Plan(network: config.live.network, restURL: config.live.restURL, websocketURL: config.live.websocketURL, credentials: credentials)
    }
}
