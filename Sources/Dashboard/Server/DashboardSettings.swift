/// `[dashboard]`: where the console listens and how it protects itself. The password and the
/// API token are never here: only their bcrypt hashes, in `credentials_file`
/// (`qt dashboard set-password`).
public struct DashboardSettings: Sendable, Hashable {
    /// Started beside `qt live` and `qt paper` when true.
    public var enabled = false
    /// Address to bind; loopback unless TLS is configured or `allowInsecureRemote` is set.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one (printed at start).
    public var port = 8088
    /// PEM certificate chain and private key; both or neither.
    public var tlsCertificate: String?
    public var tlsPrivateKey: String?
    /// Serve plain HTTP on a non-loopback address anyway (a warning is printed at start).
    public var allowInsecureRemote = false
    /// Where `qt dashboard set-password` keeps the bcrypt hashes.
    public var credentialsFile = "~/.config/quantumtrader/dashboard.credentials"
    /// Pages reload themselves this often (meta refresh; 0 = never).
    public var refresh: Duration = .seconds(5)
    /// A position whose exit owner processed no price event for this long is shown stale.
    public var staleAfter: Duration = .seconds(10)
    /// How long a button waits for the session's answer before showing "pending".
    public var actionWait: Duration = .seconds(10)
    /// A login session lasts this long.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// Failed logins from one address within `loginWindow` before further attempts are refused (429).
    public var loginMaxFailures = 5
    public var loginWindow: Duration = .seconds(15 * 60)

    public init() {}

    public static let defaults = DashboardSettings()

    /// True when `host` is a loopback address.
    public var bindsLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    public var usesTLS: Bool { tlsCertificate != nil && tlsPrivateKey != nil }

    /// Checks the bind policy. Returns a warning line for an allowed insecure remote bind, throws
    /// naming the keys when a remote bind has neither TLS nor the explicit allowance.
    public func checkBind() throws(DashboardError) -> String? {
        if (tlsCertificate == nil) != (tlsPrivateKey == nil) {
            throw DashboardError("[dashboard] tls_certificate and tls_private_key go together; set both or neither")
        }
        if bindsLoopback || usesTLS { return nil }
        guard allowInsecureRemote else {
            throw DashboardError("[dashboard] host = \"\(host)\" is not a loopback address: set tls_certificate and tls_private_key, "
                                 + "or allow_insecure_remote = true (passwords and cookies then cross the network in clear text); "
                                 + "or keep 127.0.0.1 and reach it through an SSH tunnel")
        }
        return "warning: the dashboard listens on \(host):\(port) without TLS (allow_insecure_remote = true); "
            + "passwords, tokens and session cookies cross the network in clear text"
    }
}
