import Hummingbird
import NIOCore
import Prometheus

extension DashboardServer {
    /// `/healthz` (no authentication: the process answers), `/readyz` and `/metrics` (a login or the bearer token).
    func addHealthRoutes(_ router: Router<DashboardContext>) {
        router.get("/healthz") { _, _ in Self.text("ok\n") }
        router.get("/readyz") { _, context -> Response in
            guard context.identity != nil else { return Self.bearerChallenge(json: false) }
            let readiness = await source.readiness()
            let lines = readiness.checks.map { "\($0.ok ? "ok  " : "FAIL") \($0.name): \($0.detail)" }.joined(separator: "\n")
            if readiness.ready { return Self.text("ready\n\(lines)\n") }
            return Self.text("not ready: \(readiness.reasons)\n\(lines)\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { _, context -> Response in
            guard context.identity != nil else { return Self.bearerChallenge(json: false) }
            guard let metrics else { return Self.text("no metrics registry in this process\n", status: .notFound) }
            var output: [UInt8] = []
            metrics.emit(into: &output)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: output)))
        }
    }

    /// 401 with `WWW-Authenticate: Bearer` (API, metrics, readiness).
    static func bearerChallenge(json: Bool) -> Response {
        var response = json ? APIResponse.error(.unauthorized, "authentication required: Authorization: Bearer <token> (qt dashboard set-password --token)")
            : Self.text("authentication required: Authorization: Bearer <token>, or log in\n", status: .unauthorized)
        response.headers[.wwwAuthenticate] = "Bearer realm=\"qt-dashboard\""
        return response
    }
}
