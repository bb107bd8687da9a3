import Hummingbird
import HummingbirdAuth
import Logging

extension DashboardServer {
    /// GET /login (the form), POST /login (password; throttled and audited), POST /logout.
    func addLoginRoutes(_ router: Router<DashboardContext>) {
        router.get("/login") { _, context -> Response in
            if context.identity?.csrf != nil { return Self.redirect(to: "/") }
            return loginPage(status: .ok, message: nil)
        }
        router.post("/login") { request, context -> Response in
            let peer = context.peer
            if let wait = throttle.retryAfter(peer) {
                control.record(AuditEntry(actor: "login from \(peer)", text: "login", authorized: false,
                                          outcome: "refused: too many failed logins (\(settings.loginMaxFailures) in \(settings.loginWindow)); retry in \(wait)"))
                var response = loginPage(status: .tooManyRequests, message: "Too many failed logins from this address. Try again in \(wait.components.seconds) s.")
                response.headers[.retryAfter] = String(max(1, wait.components.seconds))
                return response
            }
            let form = try await FormFields.read(request)
            guard let expected = request.cookies[Self.loginCookie]?.value, let given = form["login_csrf"],
                  constantTimeEquals(String(expected), given) else {
                return loginPage(status: .forbidden, message: "The login form expired or did not come from this console; try again.")
            }
            guard verifier.credentials.passwordHash != nil else {
                return loginPage(status: .unauthorized, message: "No password is set: run `qt dashboard set-password` on the server.")
            }
            guard let password = form["password"], verifier.verifyPassword(password) else {
                throttle.recordFailure(peer)
                control.record(AuditEntry(actor: "login from \(peer)", text: "login", authorized: false, outcome: "refused: wrong password"))
                environment.logger.warning("dashboard.login_refused", metadata: ["dashboard.peer": "\(peer)"])
                return loginPage(status: .unauthorized, message: "Wrong password.")
            }
            throttle.recordSuccess(peer)
            let user = verifier.credentials.user
            context.sessions.createSession(DashboardSession(user: user, csrf: environment.makeToken()), expiresIn: settings.sessionLifetime)
            control.record(AuditEntry(actor: "\(user) from \(peer) (dashboard)", text: "login", authorized: true, outcome: "logged in"))
            var response = Self.redirect(to: "/")
            response.headers[.setCookie] = Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/", secure: settings.usesTLS,
                                                  httpOnly: true, sameSite: .strict).description
            return response
        }
        router.post("/logout") { request, context -> Response in
            let form = try await FormFields.read(request)
            guard let csrf = context.identity?.csrf, let given = form["csrf"], constantTimeEquals(csrf, given) else {
                return Self.text("forbidden: the form's CSRF token is missing or wrong\n", status: .forbidden)
            }
            context.sessions.clearSession()
            return Self.redirect(to: "/login")
        }
    }
}
