#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Alerts
import Foundation

/// The notifiers' secrets: the Telegram bot token (`QT_TELEGRAM_BOT_TOKEN`) and the webhook's
/// HMAC secret (`QT_WEBHOOK_SECRET`, optional), from the key file when one is given (the same
/// file and rules as the API keys: outside the repository, mode 600) or else the environment.
/// Never from the configuration file; never printed, logged or stored.
public struct AlertSecrets: Sendable, CustomStringConvertible {
    public var botToken: BotToken?
    public var webhookSecret: WebhookSecret?

    public static let tokenName = "QT_TELEGRAM_BOT_TOKEN"
    public static let webhookSecretName = "QT_WEBHOOK_SECRET"

    public init(botToken: BotToken?, webhookSecret: WebhookSecret?) {
        self.botToken = botToken
        self.webhookSecret = webhookSecret
    }

    public var description: String { "AlertSecrets(redacted)" }

    /// Loads what `settings` needs: the token when Telegram is on (its absence or a malformed
    /// token is an error naming the variable, never its value), the webhook secret when present.
    public static func load(settings: AlertSettings, environment: [String: String], keyFile: String?,
                            repositoryRoot: String?) throws(LiveCredentialsError) -> AlertSecrets {
        var values = environment
        if let keyFile {
            for (name, value) in try KeyFile.read(keyFile, repositoryRoot: repositoryRoot) { values[name] = value }
        }
        var secrets = AlertSecrets(botToken: nil, webhookSecret: values[webhookSecretName].flatMap(WebhookSecret.init))
        if settings.telegram.enabled {
            let source = keyFile.map { "key file \($0)" } ?? "the environment"
            guard let text = values[tokenName], !text.isEmpty else {
                throw LiveCredentialsError("[alerts.telegram] is enabled but \(tokenName) is not set in \(source) (the token @BotFather gave you)")
            }
            guard let token = BotToken(text) else {
                throw LiveCredentialsError("\(tokenName) in \(source) is not a bot token (expected <digits>:<secret> as @BotFather gives it)")
            }
            secrets.botToken = token
        }
        return secrets
    }
}

/// A private key file of `NAME=value` lines (`#` comments and blank lines ignored): outside the
/// repository and not readable by group or others. Errors name the file and line, never a value.
enum KeyFile {
    static let knownNames: Set<String> = [LiveCredentials.keyName, LiveCredentials.secretName, LiveCredentials.mainnetKeyName,
                                          LiveCredentials.mainnetSecretName, AlertSecrets.tokenName, AlertSecrets.webhookSecretName,
                                          StoreSecrets.urlName]

    static func read(_ keyFile: String, repositoryRoot: String?) throws(LiveCredentialsError) -> [String: String] {
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
            guard parts.count == 2, knownNames.contains(parts[0]) else {
                throw LiveCredentialsError("key file \(keyFile) line \(number + 1): expected one of \(knownNames.sorted().joined(separator: ", ")) followed by =")
            }
            values[parts[0]] = parts[1]
        }
        return values
    }
}
