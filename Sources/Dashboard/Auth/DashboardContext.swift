import Hummingbird
import HummingbirdAuth
import NIOCore

/// The console's request context: the session (cookie), the identity an authenticator found
/// (session or bearer token) and the peer's address (for the login throttle and the audit trail).
public struct DashboardContext: AuthRequestContext, SessionRequestContext, RequestContext {
    public typealias Session = DashboardSession
    public typealias Identity = DashboardIdentity

    public var coreContext: CoreRequestContextStorage
    public var identity: DashboardIdentity?
    public let sessions: SessionContext<DashboardSession>
    /// The peer's IP address (`127.0.0.1`), or `unknown`.
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        sessions = .init()
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// `admin from 127.0.0.1`, `API token from 127.0.0.1`: who acts, for the audit trail.
    public var actor: String {
        guard let identity else { return "anonymous from \(peer)" }
        switch identity.via {
        case .session: return "\(identity.user) from \(peer) (dashboard)"
        case .token: return "API token from \(peer)"
        }
    }
}

/// What a logged-in browser's session holds (in memory, keyed by the session cookie).
public struct DashboardSession: Codable, Sendable, Hashable {
    public var user: String
    /// The CSRF token every state-changing form of this session must carry.
    public var csrf: String
    public init(user: String, csrf: String) {
        self.user = user
        self.csrf = csrf
    }
}

/// Who a request acts as.
public struct DashboardIdentity: Sendable, Hashable {
    public enum Via: Sendable, Hashable {
        /// Logged in with the password; forms carry `csrf`.
        case session(csrf: String)
        /// `Authorization: Bearer <token>` (the API, metrics scrapers).
        case token
    }
    public var user: String
    public var via: Via

    /// The session's CSRF token; nil for a bearer token.
    public var csrf: String? {
        if case .session(let csrf) = via { return csrf }
        return nil
    }
}
