/// Where a live session trades and with which keys (never printed): the network, the REST and
/// stream hosts of `[live]` and the credentials, checked by `TraderBuilder.build(.live)`.
public struct VenueAccess: Sendable, CustomStringConvertible {
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
