import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdAuth
import HummingbirdTLS
import Logging
import NIOSSL
import Prometheus
import TradingEngine
import TradingModel

/// The operator's console: server-rendered pages, the JSON API under `/api/v1`, `/metrics`,
/// `/healthz` and `/readyz`, on Hummingbird 2. One `router()` serves both the running
/// application and the in-process tests.
///
/// Everything but `/healthz` (and the login form itself) needs a login session (cookie, from the
/// password) or `Authorization: Bearer <token>`; the API takes the bearer token only, so a
/// cross-site form can never reach it. Every state-changing form carries the session's CSRF token.
public struct DashboardServer: Sendable {
    /// What the server needs from the outside world; the app passes the real ones, tests fakes.
    public struct Environment: Sendable {
        public var clock: any TradingClock
        /// A fresh unguessable token (CSRF, the login form's cookie).
        public var makeToken: @Sendable () -> String
        public var logger: Logger

        public init(clock: any TradingClock, makeToken: @escaping @Sendable () -> String = DashboardServer.randomToken, logger: Logger) {
            self.clock = clock
            self.makeToken = makeToken
            self.logger = logger
        }
    }

    public let settings: DashboardSettings
    let source: any DashboardSource
    let control: any DashboardControl
    let verifier: CredentialVerifier
    let throttle: LoginThrottle
    let renderer: PageRenderer
    let metrics: PrometheusCollectorRegistry?
    let environment: Environment
    let sessionStore: MemoryPersistDriver<ContinuousClock>

    /// - Parameter metrics: the registry `/metrics` exports (the process's swift-metrics backend); nil: 404.
    public init(settings: DashboardSettings, credentials: DashboardCredentials, source: any DashboardSource, control: any DashboardControl,
                metrics: PrometheusCollectorRegistry?, environment: Environment) {
        self.settings = settings
        self.source = source
        self.control = control
        self.verifier = CredentialVerifier(credentials: credentials)
        self.throttle = LoginThrottle(maxFailures: settings.loginMaxFailures, window: settings.loginWindow, clock: environment.clock)
        self.renderer = PageRenderer(refresh: settings.refresh)
        self.metrics = metrics
        self.environment = environment
        self.sessionStore = MemoryPersistDriver()
    }

    /// 32 bytes from the system's secure random source, hex.
    @Sendable public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static let sessionCookie = "qt_session"
    static let loginCookie = "qt_login"

    /// Every route, with its middleware (security headers, sessions, authenticators).
    public func router() -> Router<DashboardContext> {
        let router = Router(context: DashboardContext.self)
        router.add(middleware: SecurityHeadersMiddleware(styleSheet: PageRenderer.styleSheet, strictTransport: settings.usesTLS))
        router.add(middleware: SessionMiddleware(storage: sessionStore, configuration: SessionMiddlewareConfiguration(
            sessionCookieParameters: SessionCookieParameters(name: Self.sessionCookie, path: "/", secure: settings.usesTLS, sameSite: .strict),
            keyPrefix: "qt.", defaultSessionExpiration: settings.sessionLifetime)))
        router.add(middleware: SessionAuthenticator(context: DashboardContext.self) { (session: DashboardSession, _) in
            DashboardIdentity(user: session.user, via: .session(csrf: session.csrf))
        })
        router.add(middleware: BearerAuthenticator(verifier: verifier))
        addHealthRoutes(router)
        addLoginRoutes(router)
        addPageRoutes(router)
        addActionRoutes(router)
        addAPIRoutes(router)
        return router
    }

    /// The application on `settings.host:port` (TLS when configured). `onRunning` receives the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws(DashboardError)
        -> Application<RouterResponder<DashboardContext>>
    {
        let server: HTTPServerBuilder
        if let certificate = settings.tlsCertificate, let key = settings.tlsPrivateKey {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
                let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
                server = try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw DashboardError("cannot use the TLS certificate \(certificate) and key \(key): \(error)")
            }
        } else {
            server = .http1()
        }
        return Application(router: router(), server: server,
                           configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: "qt-dashboard"),
                           services: [sessionStore], onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                           logger: environment.logger)
    }

    // MARK: - Responses

    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The login form (with a fresh login-form cookie), as the answer to an anonymous page request (401) or to GET /login.
    func loginPage(status: HTTPResponse.Status, message: String?) -> Response {
        let token = environment.makeToken()
        let cookie = Cookie(name: Self.loginCookie, value: token, path: "/", secure: settings.usesTLS, httpOnly: true, sameSite: .strict)
        return Self.html(renderer.login(message: message, loginCSRF: token), status: status, headers: [.setCookie: cookie.description])
    }
}
