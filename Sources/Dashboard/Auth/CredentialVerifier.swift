import Crypto
import Foundation
import HummingbirdBcrypt

/// Checks passwords and bearer tokens against the bcrypt hashes. A token that verified once is
/// remembered by its SHA-256 (never the token itself), so an API client or a metrics scraper
/// does not pay a bcrypt check per request; a wrong token always pays it.
/// A lock-protected box (`@unchecked Sendable`: `verifiedTokens` is accessed under `lock` only).
public final class CredentialVerifier: @unchecked Sendable {
    public let credentials: DashboardCredentials
    private let lock = NSLock()
    private var verifiedTokens: Set<Data> = []

    public init(credentials: DashboardCredentials) { self.credentials = credentials }

    public func verifyPassword(_ password: String) -> Bool {
        guard let hash = credentials.passwordHash, password.utf8.count <= 72 else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    public func verifyToken(_ token: String) -> Bool {
        guard let hash = credentials.tokenHash, !token.isEmpty, token.utf8.count <= 72 else { return false }
        let digest = Data(SHA256.hash(data: Data(token.utf8)))
        if lock.withLock({ verifiedTokens.contains(digest) }) { return true }
        guard Bcrypt.verify(token, hash: hash) else { return false }
        lock.withLock { _ = verifiedTokens.insert(digest) }
        return true
    }
}
