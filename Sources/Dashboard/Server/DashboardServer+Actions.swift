import Foundation
import Hummingbird
import TradingModel

extension DashboardServer {
    /// The buttons' POSTs: each needs a login session and its CSRF token (403 otherwise), acts
    /// through `DashboardControl`, is audited with who did it and shows the outcome.
    func addActionRoutes(_ router: Router<DashboardContext>) {
        router.post("/actions/close", use: action { form, context, label in
            guard let text = form["symbol"], let symbol = Symbol(text) else {
                return (ActionOutcome(action: "close", state: .failed, detail: "not a symbol: '\(form["symbol"] ?? "")'"), "Close")
            }
            let outcome = await control.close(symbol: symbol, by: context.actor, wait: settings.actionWait)
            return (outcome, "Close \(symbol)")
        })
        router.post("/actions/close-all", use: action { _, context, _ in
            (await control.close(symbol: nil, by: context.actor, wait: settings.actionWait), "Close all")
        })
        router.post("/actions/halt", use: action { form, context, _ in
            guard let reason = Self.reason(form["reason"]) else {
                return (ActionOutcome(action: "halt", state: .failed, detail: "say why (the reason is stored with the halt)"), "Halt entries")
            }
            return (await control.halt(reason: reason, by: context.actor), "Halt entries")
        })
        router.post("/actions/resume", use: action { form, context, _ in
            guard let reason = Self.reason(form["reason"]) else {
                return (ActionOutcome(action: "resume", state: .failed, detail: "say why (the reason is stored with the resume)"), "Resume entries")
            }
            return (await control.resume(reason: reason, by: context.actor), "Resume entries")
        })
    }

    /// A reason of 1…200 characters, trimmed.
    static func reason(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty, trimmed.count <= 200 else { return nil }
        return trimmed
    }

    /// Wraps an action: anonymous → 401 login form; no session or a wrong CSRF token → 403 and
    /// nothing happens; otherwise the action runs, is audited and its outcome page is shown.
    func action(_ perform: @escaping @Sendable (FormFields, DashboardContext, String) async -> (ActionOutcome, String))
        -> @Sendable (Request, DashboardContext) async throws -> Response
    {
        { request, context in
            guard let identity = context.identity else { return loginPage(status: .unauthorized, message: nil) }
            let form = try await FormFields.read(request)
            guard let csrf = identity.csrf, let given = form["csrf"], constantTimeEquals(csrf, given) else {
                control.record(AuditEntry(actor: context.actor, text: "\(request.uri.path) without a valid CSRF token", authorized: false,
                                          outcome: "refused (403): nothing done"))
                return Self.html(renderer.message(heading: "Refused", detail: "The form's CSRF token is missing or wrong; nothing was done. "
                                                  + "Reload the console and try again.", session: "", csrf: nil), status: .forbidden)
            }
            let label = await source.session().label
            let (outcome, heading) = await perform(form, context, label)
            control.record(AuditEntry(actor: context.actor, text: Self.auditText(outcome, form: form), authorized: true,
                                      outcome: "\(outcome.requestID.map { "close request \($0) " } ?? "")\(outcome.state.rawValue): \(outcome.detail)"))
            return Self.html(renderer.outcome(outcome, heading: heading, session: label, csrf: csrf))
        }
    }

    static func auditText(_ outcome: ActionOutcome, form: FormFields) -> String {
        switch outcome.action {
        case "close": "close \(form["symbol"] ?? "?")"
        case "close_all": "close all"
        default: "\(outcome.action): \(form["reason"] ?? "")"
        }
    }
}
