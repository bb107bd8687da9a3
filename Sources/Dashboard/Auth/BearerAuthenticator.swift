import Hummingbird
import HummingbirdAuth

/// Authenticates `Authorization: Bearer <token>` against the credentials' token hash
/// (hummingbird-auth's authenticator middleware). Leaves the request unauthenticated otherwise;
/// the route groups decide what an anonymous request gets.
public struct BearerAuthenticator: AuthenticatorMiddleware {
    public typealias Context = DashboardContext
    public typealias Identity = DashboardIdentity
    let verifier: CredentialVerifier

    public init(verifier: CredentialVerifier) { self.verifier = verifier }

    public func authenticate(request: Request, context: DashboardContext) async throws -> DashboardIdentity? {
        guard context.identity == nil, let bearer = request.headers.bearer else { return nil }
        guard verifier.verifyToken(bearer.token) else { return nil }
        return DashboardIdentity(user: "api", via: .token)
    }
}
