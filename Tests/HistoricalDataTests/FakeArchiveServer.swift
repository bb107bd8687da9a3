import Crypto
import Foundation
import HTTPTestSupport
import Synchronization

/// A fake of Binance's public data archive (`data.binance.vision`) and of the REST kline and
/// funding endpoints, on 127.0.0.1, as hard as the real ones on a bad day.
///
/// Files are served with their `.CHECKSUM` (`<sha256>  <name>`), with `Range` requests answered
/// 206 / 416. Each path can be given a script of faults, consumed one per request: an HTTP status
/// (404, 429 with `Retry-After`, 418, 500, 503), corrupted bytes, a body cut off after N bytes
/// (the connection closes), a transfer that stalls after N bytes, an answer never sent, or a
/// body sent in small pieces. Every request is recorded with its `Range` header.
final class FakeArchiveServer: Sendable {
    enum Fault: Sendable, Hashable {
        case status(Int, retryAfter: Int? = nil)
        /// The body with one byte changed (the checksum must catch it).
        case corrupt
        /// Headers announce the full length; the connection closes after `bytes` of the body.
        case cut(afterBytes: Int)
        /// Sends `bytes` of the body, then nothing more (the client's read timeout must fire).
        case stall(afterBytes: Int)
        /// Never answers.
        case hang
        /// Sends the body in 1 KiB pieces.
        case trickle
    }

    struct Request: Sendable, Hashable {
        var path: String
        var query: [String: String]
        var range: String?
    }

    /// REST klines: every `interval` from `start` for `count` bars (prices from `ArchiveFixtures`).
    struct RESTKlines: Sendable {
        var start: Int64
        var count: Int
        var interval: Int64 = 60_000
    }

    private struct State: Sendable {
        var files: [String: [UInt8]] = [:]
        var checksumOverrides: [String: String] = [:]
        var faults: [String: [Fault]] = [:]
        var requests: [Request] = []
        var restKlines: [String: RESTKlines] = [:]
        var funding: [String: [(time: Int64, rate: String, mark: String)]] = [:]
    }

    private let state = Mutex(State())
    private let server = Mutex<LoopbackHTTPServer?>(nil)

    var baseURL: String { server.withLock { $0?.baseURL ?? "" } }
    var maxConcurrentRequests: Int { server.withLock { $0?.maxConcurrentRequests ?? 0 } }

    // MARK: Scripting

    func serve(_ path: String, bytes: [UInt8]) { state.withLock { $0.files[path] = bytes } }
    func overrideChecksum(_ path: String, text: String) { state.withLock { $0.checksumOverrides[path] = text } }
    func script(_ path: String, _ faults: [Fault]) { state.withLock { $0.faults[path, default: []] += faults } }
    func serveKlines(symbol: String, _ klines: RESTKlines) { state.withLock { $0.restKlines[symbol] = klines } }
    func serveFunding(symbol: String, _ rows: [(time: Int64, rate: String, mark: String)]) { state.withLock { $0.funding[symbol] = rows } }
    var requests: [Request] { state.withLock { $0.requests } }
    func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    /// Starts the fake, runs `body`, stops it.
    static func with<T: Sendable>(_ body: (FakeArchiveServer) async throws -> T) async throws -> T {
        let fake = FakeArchiveServer()
        return try await LoopbackHTTPServer.with(handler: { request in fake.answer(request) }) { server in
            fake.server.withLock { $0 = server }
            return try await body(fake)
        }
    }

    // MARK: Answering

    private func answer(_ request: LoopbackRequest) -> LoopbackResponse {
        let range = request.header("Range")
        let fault: Fault? = state.withLock { state in
            state.requests.append(Request(path: request.path, query: request.query, range: range))
            guard var queue = state.faults[request.path], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.faults[request.path] = queue
            return first
        }
        switch fault {
        case .status(let code, let retryAfter):
            var headers: [String: String] = [:]
            if let retryAfter { headers["Retry-After"] = String(retryAfter) }
            return .full(status: code, headers: headers, body: Array("{\"code\":-1003,\"msg\":\"fault \(code)\"}".utf8))
        case .hang:
            return .hang
        default:
            break
        }
        guard var body = content(path: request.path, query: request.query) else {
            return .full(status: 404, headers: [:], body: Array("<Error><Code>NoSuchKey</Code></Error>".utf8))
        }
        if fault == .corrupt, !body.isEmpty { body[body.count / 2] ^= 0x5A }
        var status = 200
        var headers = ["Accept-Ranges": "bytes"]
        if let range, range.hasPrefix("bytes="), range.hasSuffix("-"), let start = Int(range.dropFirst(6).dropLast()) {
            guard start < body.count else {
                return .full(status: 416, headers: ["Content-Range": "bytes */\(body.count)"], body: [])
            }
            status = 206
            headers["Content-Range"] = "bytes \(start)-\(body.count - 1)/\(body.count)"
            body = Array(body[start...])
        }
        switch fault {
        case .cut(let bytes): return .cut(status: status, headers: headers, body: body, afterBytes: bytes)
        case .stall(let bytes): return .stall(status: status, headers: headers, body: body, afterBytes: bytes)
        case .trickle: return .trickle(status: status, headers: headers, body: body)
        default: return .full(status: status, headers: headers, body: body)
        }
    }

    /// The bytes at `path` (a file, its checksum, or a REST answer); nil = 404.
    private func content(path: String, query: [String: String]) -> [UInt8]? {
        state.withLock { state in
            if path.hasSuffix(".CHECKSUM") {
                let zipPath = String(path.dropLast(".CHECKSUM".count))
                if let text = state.checksumOverrides[zipPath] { return Array(text.utf8) }
                guard let bytes = state.files[zipPath] else { return nil }
                let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                return Array("\(digest)  \((zipPath as NSString).lastPathComponent)\n".utf8)
            }
            if let bytes = state.files[path] { return bytes }
            if path == "/fapi/v1/klines" || path == "/fapi/v1/markPriceKlines" {
                guard let symbol = query["symbol"], let source = state.restKlines[symbol] else {
                    return Array("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}".utf8)
                }
                return Self.klinePage(source, query: query, mark: path.contains("mark"))
            }
            if path == "/fapi/v1/fundingRate" {
                let rows = state.funding[query["symbol"] ?? ""] ?? []
                let start = Int64(query["startTime"] ?? "") ?? 0
                let end = Int64(query["endTime"] ?? "") ?? .max
                let limit = Int(query["limit"] ?? "") ?? 100
                let page = rows.filter { $0.time >= start && $0.time <= end }.prefix(limit)
                let items = page.map { "{\"symbol\":\"\(query["symbol"] ?? "")\",\"fundingTime\":\($0.time),\"fundingRate\":\"\($0.rate)\",\"markPrice\":\"\($0.mark)\"}" }
                return Array(("[" + items.joined(separator: ",") + "]").utf8)
            }
            return nil
        }
    }

    private static func klinePage(_ source: RESTKlines, query: [String: String], mark: Bool) -> [UInt8] {
        let start = Int64(query["startTime"] ?? "") ?? source.start
        let end = Int64(query["endTime"] ?? "") ?? .max
        let limit = min(Int(query["limit"] ?? "") ?? 500, 1500)
        var items: [String] = []
        for index in 0..<source.count {
            let open = source.start + Int64(index) * source.interval
            guard open >= start, open <= end else { continue }
            items.append(restKline(openTime: open, interval: source.interval, mark: mark))
            if items.count == limit { break }
        }
        return Array(("[" + items.joined(separator: ",") + "]").utf8)
    }

    /// A REST kline array for a bar; prices follow from the open time so tests can predict them.
    static func restKline(openTime: Int64, interval: Int64, mark: Bool) -> String {
        let (open, high, low, close) = ArchiveFixtures.prices(openTime: openTime)
        return "[\(openTime),\"\(open)\",\"\(high)\",\"\(low)\",\"\(close)\",\"\(mark ? "0" : "12.5")\",\(openTime + interval - 1),\"\(mark ? "0" : "125.0")\",\(mark ? 0 : 7),\"\(mark ? "0" : "6.25")\",\"0\",\"0\"]"
    }
}
