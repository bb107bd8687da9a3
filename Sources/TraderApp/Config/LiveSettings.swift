import Foundation
import TradingConfig

/// `[live]`: which Binance USDⓈ-M network `qt live` trades on, and where it is.
///
/// Mainnet is deliberate: `network = "mainnet"` in the file AND `--mainnet` on the command line
/// (plus its own key variables, `LiveCredentials`); testnet is the default. The URLs must belong
/// to the network the file names (`rest_url`/`websocket_url` default to them): any other venue
/// (the local venue, a proxy) needs `network = "custom"` and both URLs. Plain `http://`/`ws://`
/// only to this machine (127.0.0.1, ::1, localhost). Checked when the file is read, so `qt config
/// check` refuses what `qt live` refuses.
public struct LiveSettings: Sendable, Hashable {
    public enum Network: String, Sendable, Hashable, CaseIterable {
        case testnet, mainnet, custom
    }

    public var network: Network
    /// REST base URL; default per network.
    public var restURL: String
    /// WebSocket base URL; default per network.
    public var websocketURL: String

    public static let defaults = LiveSettings(network: .testnet)

    /// Binance's hosts per network: REST and WebSocket (the first of each is the default).
    static let restHosts: [Network: [String]] = [
        .mainnet: ["fapi.binance.com"],
        .testnet: ["testnet.binancefuture.com", "demo-fapi.binance.com"],
    ]
    static let websocketHosts: [Network: [String]] = [
        .mainnet: ["fstream.binance.com"],
        .testnet: ["stream.binancefuture.com", "fstream.binancefuture.com"],
    ]

    /// `network` with its default URLs (`custom` has none: give both).
    public init(network: Network, restURL: String? = nil, websocketURL: String? = nil) {
        self.network = network
        self.restURL = restURL ?? Self.restHosts[network].map { "https://\($0[0])" } ?? ""
        self.websocketURL = websocketURL ?? Self.websocketHosts[network].map { "wss://\($0[0])" } ?? ""
    }

    public init(from section: ConfigSection) throws(ConfigError) {
        let network = try section.choice("network", default: Network.testnet)
        let rest = try section.optionalString("rest_url")
        let websocket = try section.optionalString("websocket_url")
        if network == .custom {
            guard rest != nil else { throw section.invalid("rest_url", "is required with network = \"custom\" (give both rest_url and websocket_url)") }
            guard websocket != nil else { throw section.invalid("websocket_url", "is required with network = \"custom\" (give both rest_url and websocket_url)") }
        }
        if let rest { try Self.check(rest, key: "rest_url", secure: "https", plain: "http", hosts: Self.restHosts[network], network: network, in: section) }
        if let websocket {
            try Self.check(websocket, key: "websocket_url", secure: "wss", plain: "ws", hosts: Self.websocketHosts[network], network: network, in: section)
        }
        self.init(network: network, restURL: rest, websocketURL: websocket)
    }

    /// The host of the REST URL (the start-up line names it).
    public var restHost: String { Self.host(of: restURL) ?? restURL }
    /// The host of the WebSocket URL.
    public var websocketHost: String { Self.host(of: websocketURL) ?? websocketURL }

    /// A URL's scheme must be `secure`, or `plain` to a loopback host; for Binance's networks its
    /// host must be one of `hosts`.
    static func check(_ text: String, key: String, secure: String, plain: String, hosts: [String]?, network: Network,
                      in section: ConfigSection) throws(ConfigError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty, components.user == nil, components.password == nil
        else {
            throw section.invalid(key, "= \"\(text)\" is not a \(secure)://host[:port] URL")
        }
        guard scheme == secure || scheme == plain else {
            throw section.invalid(key, "= \"\(text)\" must start with \(secure):// (or \(plain):// to this machine)")
        }
        if scheme == plain && !isLoopback(host) {
            throw section.invalid(key, "= \"\(text)\": \(plain):// sends keys and orders in plain text; it is only allowed to loopback "
                                  + "(127.0.0.1, ::1, localhost); use \(secure)://")
        }
        if let hosts, !(scheme == secure && hosts.contains(host)) {
            throw section.invalid(key, "= \"\(text)\" is not a Binance \(network.rawValue) host (\(hosts.map { "\(secure)://\($0)" }.joined(separator: ", "))); "
                                  + "to trade on another venue set network = \"custom\"")
        }
    }

    static func host(of text: String) -> String? { URLComponents(string: text)?.host?.lowercased() }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
