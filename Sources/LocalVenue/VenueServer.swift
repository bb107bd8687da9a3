import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import TradingModel

/// The HTTP + WebSocket front of the local venue (Hummingbird 2), bound to 127.0.0.1.
///
/// * REST: every route of `VenueEngine.routes`, answered by `VenueController.respond`.
/// * WebSocket: `/market/stream?streams=a/b`, `/public/stream?streams=…` and `/stream?streams=…`
///   (combined market streams), `/private/ws?listenKey=K` and `/ws/K` (user data).
/// * Control (no authentication, loopback only): `POST /venue/step?count=N`,
///   `POST /venue/advance?milliseconds=N`, `POST /venue/expire-listen-keys`,
///   `POST /venue/drop-streams`, `GET /venue/state`.
public enum VenueServer {
    /// Builds the application; `onRunning` receives the bound port (ask for port 0 to get an ephemeral one).
    public static func application(controller: VenueController, host: String = "127.0.0.1", port: Int, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) async -> Void)
        -> Application<RouterResponder<VenueRequestContext>>
    {
        let router = Router(context: VenueRequestContext.self)
        for route in VenueEngine.routes.keys {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            guard let method = HTTPRequest.Method(parts[0]) else { continue }
            router.on(RouterPath(parts[1]), method: method) { request, context -> Response in
                try await respond(request, context: context, controller: controller)
            }
        }
        addControlRoutes(router, controller: controller)
        for path in ["/market/stream", "/public/stream", "/stream"] {
            router.ws(RouterPath(path)) { inbound, outbound, context in
                let names = context.request.uri.queryParameters["streams"].map(String.init) ?? ""
                let streams = Set(names.split(separator: "/").map(String.init))
                let (id, messages) = controller.openMarketStream(streams: streams)
                try await pump(id: id, messages: messages, inbound: inbound, outbound: outbound, controller: controller)
            }
        }
        for path in ["/private/ws", "/ws/{listenKey}"] {
            router.ws(RouterPath(path), shouldUpgrade: { request, _ in
                guard let key = listenKey(of: request), controller.inspect({ $0.isListenKeyActive(key) }) else { return .dontUpgrade }
                return .upgrade([:])
            }, onUpgrade: { inbound, outbound, context in
                guard let key = listenKey(of: context.request), let (id, messages) = controller.openUserStream(listenKey: key) else { return }
                try await pump(id: id, messages: messages, inbound: inbound, outbound: outbound, controller: controller)
            })
        }
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname(host, port: port), serverName: "quantumtrader-local-venue"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    static func listenKey(of request: Request) -> String? {
        if let key = request.uri.queryParameters["listenKey"] { return String(key) }
        let path = request.uri.path
        guard path.hasPrefix("/ws/") else { return nil }
        let key = String(path.dropFirst(4))
        return key.isEmpty ? nil : key
    }

    /// Writes the connection's messages until it is dropped or the client goes away.
    static func pump(id: Int, messages: AsyncStream<VenueController.Outbound>, inbound: WebSocketInboundStream,
                     outbound: WebSocketOutboundWriter, controller: VenueController) async throws {
        defer { controller.closeConnection(id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in inbound {}
            }
            group.addTask {
                for await message in messages {
                    switch message {
                    case .text(let text): try await outbound.write(.text(text))
                    case .close: return
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    static func respond(_ request: Request, context: VenueRequestContext, controller: VenueController) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let apiKey = HTTPField.Name("X-MBX-APIKEY").flatMap { request.headers[$0] }
        let venueRequest = VenueRequest(method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
                                        rawBody: String(buffer: body), apiKey: apiKey)
        let reply = controller.respond(venueRequest)
        if let released = reply.heldUntilReleaseCount {
            await controller.waitUntil { $0.slowAnswersReleased > released }
        }
        if reply.dropsConnection {
            // Fault: the request was executed, the answer never comes (the client sees the
            // connection close: outcome unknown). The response written below goes nowhere.
            try? await context.channel.close()
        }
        return response(reply)
    }

    static func response(_ reply: VenueReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: .init(code: reply.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: reply.bodyText)))
    }

    static func addControlRoutes(_ router: Router<VenueRequestContext>, controller: VenueController) {
        router.post("/venue/step") { request, _ -> Response in
            let count = request.uri.queryParameters["count"].flatMap { Int(String($0)) } ?? 1
            let applied = controller.step(count: max(1, count))
            return response(VenueReply(body: stateJSON(controller, extra: [("applied", .integer(Int64(applied)))])))
        }
        router.post("/venue/advance") { request, _ -> Response in
            let milliseconds = request.uri.queryParameters["milliseconds"].flatMap { Int64(String($0)) } ?? 0
            controller.advance(by: .milliseconds(max(0, milliseconds)))
            return response(VenueReply(body: stateJSON(controller)))
        }
        router.post("/venue/expire-listen-keys") { _, _ -> Response in
            controller.expireListenKeys()
            return response(VenueReply(body: stateJSON(controller)))
        }
        router.post("/venue/drop-streams") { _, _ -> Response in
            controller.dropUserDataStreams()
            controller.dropMarketStreams()
            return response(VenueReply(body: stateJSON(controller)))
        }
        router.get("/venue/state") { _, _ -> Response in
            response(VenueReply(body: stateJSON(controller)))
        }
    }

    static func stateJSON(_ controller: VenueController, extra: [(String, VenueJSON)] = []) -> VenueJSON {
        let observation = controller.observation
        return .object(extra + [
            ("now", .time(observation.now)), ("remainingPoints", .integer(Int64(controller.remainingPoints))),
            ("requests", .integer(Int64(observation.requestCount))), ("openUserStreams", .integer(Int64(observation.openUserStreams))),
            ("openMarketStreams", .integer(Int64(observation.openMarketStreams))),
        ])
    }
}
