import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request as a loopback test server received it.
public struct LoopbackRequest: Sendable, Hashable {
    public var method: String
    /// Path without the query.
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]
    public var body: [UInt8]

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// How a loopback test server answers: normally, or the way real servers fail.
public enum LoopbackResponse: Sendable, Hashable {
    case full(status: Int, headers: [String: String], body: [UInt8])
    /// Headers announce the whole body; the connection closes after `afterBytes` of it.
    case cut(status: Int, headers: [String: String], body: [UInt8], afterBytes: Int)
    /// Sends `afterBytes` of the body, then nothing (a stalled transfer).
    case stall(status: Int, headers: [String: String], body: [UInt8], afterBytes: Int)
    /// Never answers (until the server stops).
    case hang
    /// The body in 1 KiB pieces, yielding between them.
    case trickle(status: Int, headers: [String: String], body: [UInt8])

    public static func json(_ text: String, status: Int = 200) -> LoopbackResponse {
        .full(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests of clients that must
/// survive bad servers: each request goes to an async handler whose `LoopbackResponse` may cut,
/// stall or never send the answer. Keep-alive connections are served one request at a time.
/// It also counts the requests being answered at once.
public final class LoopbackHTTPServer: Sendable {
    public let port: Int
    private let counters = Mutex((inFlight: 0, maxInFlight: 0))

    private init(port: Int) { self.port = port }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Most requests answered at the same time so far.
    public var maxConcurrentRequests: Int { counters.withLock { $0.maxInFlight } }

    /// Starts a server, runs `body` with it, then stops it (also when `body` throws).
    public static func with<T: Sendable>(
        handler: @escaping @Sendable (LoopbackRequest) async -> LoopbackResponse,
        _ body: (LoopbackHTTPServer) async throws -> T
    ) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                }
            }
        let server = LoopbackHTTPServer(port: channel.channel.localAddress?.port ?? 0)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await channel.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await server.serve(connection, handler) }
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            do {
                let value = try await body(server)
                try? await channel.channel.close()
                return value
            } catch {
                try? await channel.channel.close()
                throw error
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                       _ handler: @Sendable (LoopbackRequest) async -> LoopbackResponse) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                    case .body(var buffer):
                        body += buffer.readBytes(length: buffer.readableBytes) ?? []
                    case .end:
                        guard let requestHead = head else { continue }
                        counters.withLock {
                            $0.inFlight += 1
                            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
                        }
                        defer { counters.withLock { $0.inFlight -= 1 } }
                        let response = await handler(Self.request(requestHead, body))
                        guard try await Self.write(response, outbound) else { return }
                    }
                }
            }
        } catch {
            // The client went away or the server is stopping.
        }
    }

    /// Writes a response; false when the connection must close afterwards.
    private static func write(_ response: LoopbackResponse, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        switch response {
        case .full(let status, let headers, let body):
            try await head(outbound, status, headers, body.count)
            if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            return true
        case .cut(let status, let headers, let body, let afterBytes):
            try await head(outbound, status, headers, body.count)
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body.prefix(afterBytes)))))
            return false
        case .stall(let status, let headers, let body, let afterBytes):
            try await head(outbound, status, headers, body.count)
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body.prefix(afterBytes)))))
            try await waitUntilCancelled()
            return false
        case .hang:
            try await waitUntilCancelled()
            return false
        case .trickle(let status, let headers, let body):
            try await head(outbound, status, headers, body.count)
            var offset = 0
            while offset < body.count {
                let end = min(body.count, offset + 1024)
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body[offset..<end]))))
                offset = end
                await Task.yield()
            }
            try await outbound.write(.end(nil))
            return true
        }
    }

    private static func head(_ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, _ status: Int, _ headers: [String: String], _ length: Int) async throws {
        var fields = HTTPHeaders(headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        fields.replaceOrAdd(name: "Content-Length", value: String(length))
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)))
    }

    /// Holds a connection open until the server stops (task cancellation).
    private static func waitUntilCancelled() async throws {
        let never = AsyncStream<Void> { _ in }
        for await _ in never {}
        throw CancellationError()
    }

    private static func request(_ head: HTTPRequestHead, _ body: [UInt8]) -> LoopbackRequest {
        let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if keyValue.count == 2 { query[keyValue[0]] = keyValue[1] }
            }
        }
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        return LoopbackRequest(method: head.method.rawValue, path: parts.first ?? head.uri, query: query, headers: headers, body: body)
    }
}
