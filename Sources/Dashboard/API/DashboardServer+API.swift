import Foundation
import Hummingbird
import TradingModel
import NIOFoundationEssentialsCompat

extension DashboardServer {
    /// Wraps an API handler: the bearer token is required (a login cookie is not accepted, so a
    /// cross-site page can never act through the API).
    func api(_ handler: @escaping @Sendable (Request, DashboardContext) async throws -> Response)
        -> @Sendable (Request, DashboardContext) async throws -> Response
    {
        { request, context in
            guard case .token = context.identity?.via else { return Self.bearerChallenge(json: true) }
            return try await handler(request, context)
        }
    }

    /// `?limit=N` (1…500, default 50); nil when malformed or out of range.
    static func limit(_ request: Request) -> Int? {
        guard let text = request.uri.queryParameters["limit"] else { return 50 }
        guard let value = Int(text), (1...500).contains(value) else { return nil }
        return value
    }

    /// `?wait=S` seconds (0…30, default 0); nil when malformed or out of range.
    static func wait(_ request: Request) -> Duration? {
        guard let text = request.uri.queryParameters["wait"] else { return .zero }
        guard let value = Int(text), (0...30).contains(value) else { return nil }
        return .seconds(value)
    }

    static func listResponse<T: Encodable & Sendable>(_ name: String, _ result: Result<[T], DashboardError>) -> Response {
        switch result {
        case .success(let items): APIResponse.json(NamedList(name: name, items: items))
        case .failure(let error): APIResponse.error(.serviceUnavailable, error.message)
        }
    }

    static let badLimit = APIResponse.error(.badRequest, "limit must be an integer from 1 to 500")

    /// The routes of `/api/v1`, each documented in `OpenAPIDocument` (a test holds the two together).
    func addAPIRoutes(_ router: Router<DashboardContext>) {
        let api = router.group("/api/v1")
        api.get("/openapi.json", use: self.api { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        })
        api.get("/session", use: self.api { _, _ in APIResponse.json(await source.session()) })
        api.get("/positions", use: self.api { _, _ in
            Self.listResponse("positions", await capture { () throws(DashboardError) in try await source.positions() })
        })
        api.get("/risk", use: self.api { _, _ in
            switch await capture({ () throws(DashboardError) in try await source.risk() }) {
            case .success(let risk): APIResponse.json(risk)
            case .failure(let error): APIResponse.error(.serviceUnavailable, error.message)
            }
        })
        api.get("/signals", use: self.api { request, _ in
            guard let limit = Self.limit(request) else { return Self.badLimit }
            return Self.listResponse("signals", await capture { () throws(DashboardError) in try await source.signals(limit: limit) })
        })
        api.get("/trades", use: self.api { request, _ in
            guard let limit = Self.limit(request) else { return Self.badLimit }
            return Self.listResponse("trades", await capture { () throws(DashboardError) in try await source.trades(limit: limit) })
        })
        api.get("/alerts", use: self.api { request, _ in
            guard let limit = Self.limit(request) else { return Self.badLimit }
            return Self.listResponse("alerts", await capture { () throws(DashboardError) in try await source.alerts(limit: limit) })
        })
        api.get("/runs", use: self.api { request, _ in
            guard let limit = Self.limit(request) else { return Self.badLimit }
            return Self.listResponse("runs", await capture { () throws(DashboardError) in try await source.runs(limit: limit) })
        })
        api.get("/equity", use: self.api { request, _ in
            guard let limit = Self.limit(request) else { return Self.badLimit }
            return Self.listResponse("equity", await capture { () throws(DashboardError) in try await source.equity(limit: limit) })
        })
        api.get("/model", use: self.api { _, _ in
            guard let model = await source.model() else { return APIResponse.error(.notFound, "the strategy in use is not known to this process") }
            return APIResponse.json(model)
        })
        api.get("/readiness", use: self.api { _, _ in
            let readiness = await source.readiness()
            return APIResponse.json(ReadinessBody(ready: readiness.ready, checks: readiness.checks), status: readiness.ready ? .ok : .serviceUnavailable)
        })
        api.get("/requests/{id}", use: self.api { _, context in
            guard let id = context.parameters.get("id", as: Int64.self) else { return APIResponse.error(.badRequest, "the request id must be an integer") }
            do throws(DashboardError) {
                guard let outcome = try await control.closeRequest(id: id) else { return APIResponse.error(.notFound, "no close request \(id)") }
                return APIResponse.json(outcome)
            } catch {
                return APIResponse.error(.serviceUnavailable, error.message)
            }
        })
        api.post("/positions/{symbol}/close", use: self.api { request, context in
            guard let text = context.parameters.get("symbol"), let symbol = Symbol(text) else {
                return APIResponse.error(.badRequest, "not a symbol: use the exchange's name, e.g. ATOMUSDT")
            }
            guard let wait = Self.wait(request) else { return APIResponse.error(.badRequest, "wait must be an integer number of seconds from 0 to 30") }
            return actionResponse(await control.close(symbol: symbol, by: context.actor, wait: wait), text: "close \(symbol)", context: context)
        })
        api.post("/close-all", use: self.api { request, context in
            guard let wait = Self.wait(request) else { return APIResponse.error(.badRequest, "wait must be an integer number of seconds from 0 to 30") }
            return actionResponse(await control.close(symbol: nil, by: context.actor, wait: wait), text: "close all", context: context)
        })
        for (path, halt) in [("/halt", true), ("/resume", false)] {
            api.post(RouterPath(path), use: self.api { request, context in
                let buffer = try await request.body.collect(upTo: 16 * 1024)
                guard let body = try? JSONDecoder().decode(ReasonBody.self, from: Data(buffer: buffer)), let reason = Self.reason(body.reason) else {
                    return APIResponse.error(.badRequest, "send {\"reason\": \"…\"} (1 to 200 characters): the reason is stored with the event")
                }
                let outcome = halt ? await control.halt(reason: reason, by: context.actor) : await control.resume(reason: reason, by: context.actor)
                return actionResponse(outcome, text: "\(halt ? "halt" : "resume"): \(reason)", context: context)
            })
        }
    }

    /// Audits an API action and answers 200 (done), 202 (pending: poll /requests/{id}) or 409
    /// (failed), so a script that checks only the status never takes a failure for success.
    func actionResponse(_ outcome: ActionOutcome, text: String, context: DashboardContext) -> Response {
        control.record(AuditEntry(actor: context.actor, text: text, authorized: true,
                                  outcome: "\(outcome.requestID.map { "close request \($0) " } ?? "")\(outcome.state.rawValue): \(outcome.detail)"))
        let status: HTTPResponse.Status = switch outcome.state { case .done: .ok; case .pending: .accepted; case .failed: .conflict }
        return APIResponse.json(outcome, status: status)
    }
}
