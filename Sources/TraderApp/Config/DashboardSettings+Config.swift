import Dashboard
import TradingConfig

extension DashboardSettings {
    /// `[dashboard]`; the bind policy is checked here too, so `qt config check` refuses a remote
    /// bind without TLS or the explicit allowance.
    public init(from section: ConfigSection) throws(ConfigError) {
        let defaults = DashboardSettings.defaults
        self.init()
        enabled = try section.bool("enabled", default: defaults.enabled)
        host = try section.string("host", default: defaults.host)
        if host.isEmpty { throw section.invalid("host", "must not be empty (127.0.0.1 by default)") }
        port = try section.int("port", default: defaults.port, range: 0...65535)
        let certificate = try section.string("tls_certificate", default: "")
        let key = try section.string("tls_private_key", default: "")
        tlsCertificate = certificate.isEmpty ? nil : certificate
        tlsPrivateKey = key.isEmpty ? nil : key
        allowInsecureRemote = try section.bool("allow_insecure_remote", default: defaults.allowInsecureRemote)
        credentialsFile = try section.string("credentials_file", default: defaults.credentialsFile)
        if credentialsFile.isEmpty { throw section.invalid("credentials_file", "must not be empty") }
        refresh = try section.duration("refresh", default: defaults.refresh, range: .zero...Duration.seconds(3600))
        staleAfter = try section.duration("stale_after", default: defaults.staleAfter, range: .seconds(1)...Duration.seconds(3600))
        actionWait = try section.duration("action_wait", default: defaults.actionWait, range: .zero...Duration.seconds(60))
        sessionLifetime = try section.duration("session_lifetime", default: defaults.sessionLifetime, range: .seconds(60)...Duration.seconds(7 * 86400))
        loginMaxFailures = try section.int("login_max_failures", default: defaults.loginMaxFailures, range: 1...100)
        loginWindow = try section.duration("login_window", default: defaults.loginWindow, range: .seconds(1)...Duration.seconds(86400))
        do { _ = try checkBind() } catch {
            throw section.invalid(usesTLS || (tlsCertificate == nil) != (tlsPrivateKey == nil) ? "tls_certificate" : "host", error.message)
        }
    }
}
