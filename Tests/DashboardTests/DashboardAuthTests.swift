import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import TradingEngine
import TradingModel

@Suite("Dashboard authentication, sessions, throttling and security headers")
struct DashboardAuthTests {
    /// Every route but /healthz and the login form: (method, path).
    static let protectedRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "/"), (.get, "/confirm/close?symbol=ATOMUSDT"), (.get, "/confirm/close-all"), (.get, "/confirm/halt"), (.get, "/confirm/resume"),
        (.get, "/requests/1"), (.post, "/actions/close"), (.post, "/actions/close-all"), (.post, "/actions/halt"), (.post, "/actions/resume"),
        (.get, "/readyz"), (.get, "/metrics"),
        (.get, "/api/v1/openapi.json"), (.get, "/api/v1/session"), (.get, "/api/v1/positions"), (.get, "/api/v1/risk"), (.get, "/api/v1/signals"),
        (.get, "/api/v1/trades"), (.get, "/api/v1/alerts"), (.get, "/api/v1/runs"), (.get, "/api/v1/equity"), (.get, "/api/v1/model"),
        (.get, "/api/v1/readiness"), (.get, "/api/v1/requests/1"), (.post, "/api/v1/positions/ATOMUSDT/close"), (.post, "/api/v1/close-all"),
        (.post, "/api/v1/halt"), (.post, "/api/v1/resume"),
    ]

    @Test("every route but /healthz answers 401 without credentials, and nothing is done")
    func everyRouteNeedsCredentials() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            for (method, path) in Self.protectedRoutes {
                let response = try await client.execute(uri: path, method: method, headers: formHeaders, body: ByteBuffer(string: "csrf=x&symbol=ATOMUSDT&reason=x"))
                #expect(response.status == .unauthorized, "\(method) \(path) answered \(response.status)")
            }
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok && health.text == "ok\n")
        }
        #expect(fixture.session.with { $0.closeCalls.isEmpty && $0.halted == nil && $0.positions.count == 2 })
    }

    @Test("a wrong bearer token and a login cookie on the API answer 401; the right token 200")
    func apiTakesTheBearerTokenOnly() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let wrong = try await client.execute(uri: "/api/v1/positions", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let (cookie, _) = try await logIn(client)
            let withCookie = try await client.execute(uri: "/api/v1/positions", method: .get, headers: [.cookie: cookie])
            #expect(withCookie.status == .unauthorized)
            let right = try await client.execute(uri: "/api/v1/positions", method: .get, headers: bearer)
            #expect(right.status == .ok)
            #expect(right.text.contains("\"symbol\":\"ATOMUSDT\""))
            // The bearer token also reads /metrics and /readyz (a scraper), but does not make a page's forms usable.
            #expect(try await client.execute(uri: "/readyz", method: .get, headers: bearer).status == .ok)
            #expect(try await client.execute(uri: "/confirm/halt", method: .get, headers: bearer).status == .forbidden)
        }
    }

    @Test("login sets an HttpOnly, SameSite=Strict session cookie; a wrong password is refused and recorded")
    func loginAndCookieFlags() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let loginForm = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(loginForm.cookie("qt_login"))
            let token = try #require(loginForm.text.hiddenValue("login_csrf"))
            let wrong = try await client.execute(uri: "/login", method: .post, headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
                                                 body: formBody([("login_csrf", token), ("password", "guess")]))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Wrong password."))
            #expect(wrong.cookie("qt_session") == nil)
            // Without the login form's cookie (a cross-site form), even the right password is refused.
            let forged = try await client.execute(uri: "/login", method: .post, headers: formHeaders,
                                                  body: formBody([("login_csrf", token), ("password", DashboardFixture.password)]))
            #expect(forged.status == .forbidden && forged.cookie("qt_session") == nil)

            let good = try await client.execute(uri: "/login", method: .post, headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
                                                body: formBody([("login_csrf", token), ("password", DashboardFixture.password)]))
            #expect(good.status == .seeOther && good.headers[.location] == "/")
            let header = try #require(good.setCookies.first { $0.hasPrefix("qt_session=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Strict"))
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: try #require(good.cookie("qt_session"))])
            #expect(page.status == .ok && page.text.contains("Open positions"))
        }
        let audit = fixture.session.with { $0.audit }
        #expect(audit.contains { !$0.authorized && $0.outcome == "refused: wrong password" && $0.actor.hasPrefix("login from ") })
        #expect(audit.contains { $0.authorized && $0.outcome == "logged in" })
    }

    @Test("five failed logins from one address: the sixth attempt is refused with 429 and Retry-After, even with the right password; recorded; the window passes")
    func failedLoginsAreRateLimited() async throws {
        var settings = DashboardSettings()
        settings.loginMaxFailures = 5
        settings.loginWindow = .seconds(900)
        let fixture = DashboardFixture(settings: settings)
        try await fixture.test { client in
            func attempt(_ password: String) async throws -> TestResponse {
                let loginForm = try await client.execute(uri: "/login", method: .get)
                return try await client.execute(uri: "/login", method: .post,
                                                headers: [.cookie: try #require(loginForm.cookie("qt_login")), .contentType: "application/x-www-form-urlencoded"],
                                                body: formBody([("login_csrf", try #require(loginForm.text.hiddenValue("login_csrf"))), ("password", password)]))
            }
            for _ in 0..<5 { #expect(try await attempt("wrong password").status == .unauthorized) }
            let throttled = try await attempt(DashboardFixture.password)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] == "900")
            #expect(throttled.cookie("qt_session") == nil)
            fixture.clock.advance(by: .seconds(901))
            #expect(try await attempt(DashboardFixture.password).status == .seeOther)
        }
        let audit = fixture.session.with { $0.audit }
        #expect(audit.filter { $0.outcome == "refused: wrong password" }.count == 5)
        #expect(audit.contains { $0.outcome.hasPrefix("refused: too many failed logins") })
    }

    @Test("security headers on pages, API answers and errors: CSP without inline script (the stylesheet by hash), X-Frame-Options DENY")
    func securityHeaders() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, _) = try await logIn(client)
            for response in [try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]),
                             try await client.execute(uri: "/api/v1/positions", method: .get),
                             try await client.execute(uri: "/no/such/page", method: .get, headers: [.cookie: cookie])] {
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("script-src 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(csp.contains("style-src '\(SecurityHeadersMiddleware.sha256Source(PageRenderer.styleSheet))'"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            // No script anywhere, and the inline style is exactly the hashed stylesheet.
            #expect(!page.text.contains("<script"))
            #expect(page.text.contains("<style>\(PageRenderer.styleSheet)</style>"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"))
        }
    }

    @Test("log out needs the CSRF token and ends the session")
    func logout() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, csrf) = try await logIn(client)
            let forged = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                  body: formBody([("csrf", "wrong")]))
            #expect(forged.status == .forbidden)
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).status == .ok)
            let out = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                               body: formBody([("csrf", csrf)]))
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).status == .unauthorized)
        }
    }

    @Test("credentials file: hashes only, parsed back; a malformed line names the file and line")
    func credentialsFile() throws {
        let credentials = DashboardCredentials(user: "admin", passwordHash: DashboardFixture.passwordHash, tokenHash: DashboardFixture.tokenHash)
        #expect(!credentials.fileText.contains(DashboardFixture.password))
        #expect(try DashboardCredentials.parse(credentials.fileText, path: "f") == credentials)
        #expect(throws: DashboardError("f:2: unknown key 'password' (user, password_bcrypt, token_bcrypt)")) {
            try DashboardCredentials.parse("user = \"admin\"\npassword = \"secret\"\n", path: "f")
        }
        #expect(throws: DashboardError("f:1: not a bcrypt hash")) { try DashboardCredentials.parse("password_bcrypt = \"plain\"\n", path: "f") }
        #expect(throws: DashboardError("the password must have at least 8 characters")) { try DashboardCredentials.hash("short", cost: 4) }
        let verifier = CredentialVerifier(credentials: credentials)
        #expect(verifier.verifyPassword(DashboardFixture.password) && !verifier.verifyPassword("nope"))
        #expect(verifier.verifyToken(DashboardFixture.apiToken) && verifier.verifyToken(DashboardFixture.apiToken) && !verifier.verifyToken("x"))
    }

    @Test("the credentials file is written with mode 600 (new and replaced) and read back; a missing one says how to create it")
    func credentialsFileOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qt-credentials-\(ProcessInfo.processInfo.globallyUniqueString)/nested")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let path = folder.appendingPathComponent("dashboard.credentials").path
        #expect(throws: DashboardError("no dashboard credentials at \(path): set a password first with `qt dashboard set-password`")) {
            try DashboardCredentials.load(path: path)
        }
        var credentials = DashboardCredentials(passwordHash: DashboardFixture.passwordHash)
        try credentials.save(path: path)
        #expect(try DashboardCredentials.load(path: path) == credentials)
        credentials.tokenHash = DashboardFixture.tokenHash
        try credentials.save(path: path)
        #expect(try DashboardCredentials.load(path: path) == credentials)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a remote bind needs TLS settings or allow_insecure_remote (with a warning)")
    func bindPolicy() throws {
        var settings = DashboardSettings()
        #expect(try settings.checkBind() == nil)
        settings.host = "0.0.0.0"
        #expect(throws: DashboardError.self) { try settings.checkBind() }
        settings.allowInsecureRemote = true
        #expect(try settings.checkBind()?.hasPrefix("warning: the dashboard listens on 0.0.0.0:8088 without TLS") == true)
        settings.allowInsecureRemote = false
        settings.tlsCertificate = "cert.pem"
        #expect(throws: DashboardError.self) { try settings.checkBind() }
        settings.tlsPrivateKey = "key.pem"
        #expect(try settings.checkBind() == nil)
    }

    @Test("TLS settings whose certificate cannot be read stop the start with the paths named (never a silent plain-HTTP fallback)")
    func unreadableCertificateFailsTheStart() throws {
        var settings = DashboardSettings()
        settings.host = "0.0.0.0"
        settings.tlsCertificate = "/nonexistent/qt-cert.pem"
        settings.tlsPrivateKey = "/nonexistent/qt-key.pem"
        #expect(try settings.checkBind() == nil)
        let session = FakeSession()
        let server = DashboardServer(settings: settings, credentials: DashboardCredentials(passwordHash: DashboardFixture.passwordHash),
                                     source: FakeSource(session: session), control: FakeControl(session: session), metrics: nil,
                                     environment: .init(clock: ManualClock(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        do {
            _ = try server.application()
            Issue.record("the application was built without its certificate")
        } catch {
            #expect(error.message.hasPrefix("cannot use the TLS certificate /nonexistent/qt-cert.pem and key /nonexistent/qt-key.pem: "), "\(error)")
        }
    }
}
