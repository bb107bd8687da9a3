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

    /// The variable names of the key pair for `network`: mainnet has its own
    /// (`QT_BINANCE_MAINNET_API_KEY` / `…_SECRET`), so testnet keys can never reach it by accident;
    /// testnet and custom venues use `QT_BINANCE_API_KEY` / `QT_BINANCE_API_SECRET`.
    public static func variableNames(for network: LiveSettings.Network) -> (key: String, secret: String) {
        network == .mainnet ? ("QT_BINANCE_MAINNET_API_KEY", "QT_BINANCE_MAINNET_API_SECRET") : ("QT_BINANCE_API_KEY", "QT_BINANCE_API_SECRET")
    }

    /// Loads the key pair of `network` from `keyFile` when given, else from the environment.
    ///
    /// A key file must lie outside `repositoryRoot` (it could be committed) and must not be
    /// readable by group or others (mode 600 or 400). Its lines are `<key variable>=…` and
    /// `<secret variable>=…` (`variableNames(for:)`; `#` comments and blank lines ignored).
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
        let path = URL(fileURLWithPath: keyFile).standardizedFileURL.resolvingSymlinksInPath().path
        if let repositoryRoot {
            let root = URL(fileURLWithPath: repositoryRoot).standardizedFileURL.resolvingSymlinksInPath().path
            if path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
                throw LiveCredentialsError("key file \(keyFile) is inside the repository (\(root)); keep keys outside it so they are never committed")
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw LiveCredentialsError("key file \(keyFile) cannot be read (does it exist?)") }
        if info.st_mode & 0o077 != 0 {
            throw LiveCredentialsError("key file \(keyFile) is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(keyFile)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw LiveCredentialsError("key file \(keyFile) cannot be read as UTF-8 text") }
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == keyName || parts[0] == secretName else {
                throw LiveCredentialsError("key file \(keyFile) line \(number + 1): expected \(keyName)=… or \(secretName)=… (keys for \(network.rawValue))")
            }
            values[parts[0]] = parts[1]
        }
        guard let key = values[keyName], !key.isEmpty, let secret = values[secretName], !secret.isEmpty else {
            throw LiveCredentialsError("key file \(keyFile) must set both \(keyName) and \(secretName)")
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
