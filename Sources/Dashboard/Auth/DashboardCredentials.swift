import Foundation
import HummingbirdBcrypt

/// The console's credentials file: bcrypt hashes of the login password and of the API token,
/// one `key = "value"` line each, written by `qt dashboard set-password` with mode 600. The
/// secrets themselves are never stored, logged or shown.
public struct DashboardCredentials: Sendable, Hashable {
    public var user: String
    /// bcrypt hash of the login password; nil when none was set.
    public var passwordHash: String?
    /// bcrypt hash of the API bearer token; nil when none was set.
    public var tokenHash: String?

    public init(user: String = "admin", passwordHash: String? = nil, tokenHash: String? = nil) {
        self.user = user
        self.passwordHash = passwordHash
        self.tokenHash = tokenHash
    }

    /// bcrypt cost of new hashes (2¹² rounds: about 0.25 s per check on one core).
    public static let defaultCost: UInt8 = 12

    /// The file's text.
    public var fileText: String {
        var lines = ["# QuantumTrader dashboard credentials (bcrypt hashes), written by `qt dashboard set-password`.", "user = \"\(user)\""]
        if let passwordHash { lines.append("password_bcrypt = \"\(passwordHash)\"") }
        if let tokenHash { lines.append("token_bcrypt = \"\(tokenHash)\"") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses the file's text; an unknown key or a malformed line is an error naming the line.
    public static func parse(_ text: String, path: String) throws(DashboardError) -> DashboardCredentials {
        var credentials = DashboardCredentials()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[1].count >= 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else {
                throw DashboardError("\(path):\(number + 1): expected key = \"value\"")
            }
            let value = String(parts[1].dropFirst().dropLast())
            switch parts[0] {
            case "user": credentials.user = value
            case "password_bcrypt": credentials.passwordHash = try checkedHash(value, path: path, line: number + 1)
            case "token_bcrypt": credentials.tokenHash = try checkedHash(value, path: path, line: number + 1)
            default: throw DashboardError("\(path):\(number + 1): unknown key '\(parts[0])' (user, password_bcrypt, token_bcrypt)")
            }
        }
        return credentials
    }

    private static func checkedHash(_ value: String, path: String, line: Int) throws(DashboardError) -> String {
        guard value.hasPrefix("$2"), value.count == 60 else { throw DashboardError("\(path):\(line): not a bcrypt hash") }
        return value
    }

    /// Reads the file; a missing file is an error telling how to create it.
    public static func load(path: String) throws(DashboardError) -> DashboardCredentials {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DashboardError("no dashboard credentials at \(path): set a password first with `qt dashboard set-password`")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DashboardError("cannot read the dashboard credentials \(path): \(error.localizedDescription)")
        }
        let credentials = try parse(text, path: path)
        guard credentials.passwordHash != nil || credentials.tokenHash != nil else {
            throw DashboardError("\(path) holds no password or token: run `qt dashboard set-password`")
        }
        return credentials
    }

    /// Writes the file atomically with mode 600 (its folder is created with mode 700).
    public func save(path: String) throws(DashboardError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
            try? FileManager.default.removeItem(at: temporary)
            try Data(fileText.utf8).write(to: temporary)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
            // rename(2) replaces the old file atomically: a reader sees the old or the new text, never half of it.
            guard rename(temporary.path, url.path) == 0 else {
                throw DashboardError("cannot move \(temporary.path) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            throw DashboardError("cannot write the dashboard credentials \(path): \(error)")
        }
    }

    /// A bcrypt hash of `secret` (rejects secrets bcrypt would truncate or that are too short).
    public static func hash(_ secret: String, cost: UInt8 = defaultCost) throws(DashboardError) -> String {
        guard secret.utf8.count >= 8 else { throw DashboardError("the password must have at least 8 characters") }
        guard secret.utf8.count <= 72 else { throw DashboardError("the password must have at most 72 bytes (bcrypt's limit)") }
        return Bcrypt.hash(secret, cost: cost)
    }
}
