import AsyncHTTPClient
import BinanceFutures
import Foundation
import Logging
import Testing
import TradingEngine
import TradingModel

/// "Connection refused" before sending is "not sent", not "unknown": nothing reached the venue.
@Suite("HTTP transport: a refused connection is not an unknown outcome")
struct TransportRefusalTests {
    /// A loopback port with nothing listening (bound, then closed).
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("Unknown outcomes stay unknown until proven: connection refused before sending is 'not sent' (transient), not 'unknown', for an order POST")
    func connectionRefusedIsNotSent() async throws {
        let port = try Self.closedPort()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let transport = AsyncHTTPClientTransport(client: client, baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(1))
        do {
            _ = try await transport.send(HTTPRequestData(method: .post, path: "/fapi/v1/order", query: "symbol=ATOMUSDT"))
            Issue.record("a closed port answered")
        } catch {
            guard case .notSent = error else { Issue.record("refused connection classified as \(error)"); try? await client.shutdown(); return }
        }
        let rest = BinanceRESTClient(transport: transport, credentials: nil, clock: ManualClock(Timestamp(milliseconds: 0)),
                                     logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do throws(ExecutionError) {
            _ = try await rest.send(.post, "/fapi/v1/order", security: .none)
            Issue.record("a closed port answered")
        } catch {
            #expect(error.kind == .transient, "\(error)")
        }
        try await client.shutdown()
    }
}
