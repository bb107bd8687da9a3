#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The Binance API key pair of `qt live`. Never printed, logged or stored: every textual form
/// is redacted, and errors name the source, never the value.
public struct LiveCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let apiKey: String
    public let apiSecret: String

    public var description: String { "LiveCredentials(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }

    /// The testnet (and custom venue) key pair's variables.
    static let keyName = "QT_BINANCE_API_KEY"
    static let secretName = "QT_BINANCE_API_SECRET"
    /// Mainnet's own variables.
    static let mainnetKeyName = "QT_BINANCE_MAINNET_API_KEY"
    static let mainnetSecretName = "QT_BINANCE_MAINNET_API_SECRET"

    /// The variable names of the key pair for `network`: mainnet has its own
    /// (`QT_BINANCE_MAINNET_API_KEY` / `…_SECRET`), so testnet keys can never reach it by accident;
    /// testnet and custom venues use `QT_BINANCE_API_KEY` / `QT_BINANCE_API_SECRET`.
    public static func variableNames(for network: LiveSettings.Network) -> (key: String, secret: String) {
        network == .mainnet ? (mainnetKeyName, mainnetSecretName) : (keyName, secretName)
    }

    /// Loads the key pair of `network` from `keyFile` when given, else from the environment.
    ///
    /// A key file must lie outside `repositoryRoot` (it could be committed) and must not be
    /// readable by group or others (mode 600 or 400). Its lines are `<key variable>=…` and
    /// `<secret variable>=…` (`variableNames(for:)`; `#` comments and blank lines ignored; the
    /// alert secrets `QT_TELEGRAM_BOT_TOKEN` and `QT_WEBHOOK_SECRET` may stand beside them).
    public static func load(environment: [String: String], keyFile: String?, repositoryRoot: String?,
                            network: LiveSettings.Network = .testnet) throws(LiveCredentialsError) -> LiveCredentials {
        let (keyName, secretName) = variableNames(for: network)
        guard let keyFile else {
            guard let key = environment[keyName], !key.isEmpty, let secret = environment[secretName], !secret.isEmpty else {
                var message = "no API keys for \(network.rawValue): set \(keyName) and \(secretName) in the environment, or pass --key-file FILE (outside the repository, mode 600)"
                if network == .mainnet { message += "; the testnet variables QT_BINANCE_API_KEY/SECRET are never used for mainnet" }
                throw LiveCredentialsError(message)
            }
            return LiveCredentials(apiKey: key, apiSecret: secret)
        }
        // The same file may also hold the alert secrets and the other network's keys (`KeyFile.knownNames`).
        let values = try KeyFile.read(keyFile, repositoryRoot: repositoryRoot)
        guard let key = values[keyName], !key.isEmpty, let secret = values[secretName], !secret.isEmpty else {
            throw LiveCredentialsError("key file \(keyFile) must set both \(keyName) and \(secretName) (keys for \(network.rawValue))")
        }
        return LiveCredentials(apiKey: key, apiSecret: secret)
    }
}

/// Why the keys could not be loaded (names the source, never a value).
public struct LiveCredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
