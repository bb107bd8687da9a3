import TradingConfig

/// `[live]`: which Binance USDⓈ-M network `qt live` trades on. Testnet unless the file says
/// `network = "mainnet"` AND the command line says `--confirm-live` (both are required).
/// The URLs can point at any Binance-compatible venue (the local venue, a proxy).
public struct LiveSettings: Sendable, Hashable {
    public enum Network: String, Sendable, Hashable, CaseIterable {
        case testnet, mainnet
    }

    public var network: Network
    /// REST base URL; default per network.
    public var restURL: String
    /// WebSocket base URL; default per network.
    public var websocketURL: String

    public static let defaults = LiveSettings(network: .testnet)

    public init(network: Network, restURL: String? = nil, websocketURL: String? = nil) {
        self.network = network
        self.restURL = restURL ?? (network == .mainnet ? "https://fapi.binance.com" : "https://testnet.binancefuture.com")
        self.websocketURL = websocketURL ?? (network == .mainnet ? "wss://fstream.binance.com" : "wss://stream.binancefuture.com")
    }

    public init(from section: ConfigSection) throws(ConfigError) {
        let network = try section.choice("network", default: Network.testnet)
        let rest = try section.optionalString("rest_url")
        let websocket = try section.optionalString("websocket_url")
        if let rest, !(rest.hasPrefix("https://") || rest.hasPrefix("http://")) { throw section.invalid("rest_url", "must start with https:// or http://") }
        if let websocket, !(websocket.hasPrefix("wss://") || websocket.hasPrefix("ws://")) {
            throw section.invalid("websocket_url", "must start with wss:// or ws://")
        }
        self.init(network: network, restURL: rest, websocketURL: websocket)
    }
}
