import AsyncHTTPClient
import BinanceFutures
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Testing
import TradingEngine
import TradingModel

/// What the real HTTP transport reports for failures that happen before a request is sent.
@Suite("HTTP transport: failures before sending")
struct TransportClassificationTests {
    /// A port on 127.0.0.1 that is bound but not listening: connecting to it is refused at once.
    /// Returns the port and the socket (close it when done).
    static func refusingPort() throws -> (port: Int, socket: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw VenueTestError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(fd); throw VenueTestError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { close(fd); throw VenueTestError("getsockname() failed") }
        return (Int(UInt16(bigEndian: address.sin_port)), fd)
    }

    /// "Connection refused" happens before anything is written: `.notSent`, and an order sent
    /// through it fails as "not executed" (`.transient`), never as an unknown outcome.
    @Test(.timeLimit(.minutes(5))) func connectionRefusedIsNotSentNotUnknown() async throws {
        let (port, fd) = try Self.refusingPort()
        defer { close(fd) }
        let transport = AsyncHTTPClientTransport(client: HTTPClient.shared, baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(2))
        do {
            _ = try await transport.send(HTTPRequestData(method: .post, path: "/fapi/v1/order", query: "symbol=BTCUSDT"))
            Issue.record("a refused connection answered")
        } catch {
            guard case .notSent = error else { Issue.record("connection refused classified as \(error)"); return }
        }
        let rest = BinanceRESTClient(transport: transport, credentials: BinanceCredentials(apiKey: "k", hmacSecret: "s"),
                                     clock: ManualClock(VenueHarness.start), logger: VenueHarness.quiet)
        let error = await #expect(throws: ExecutionError.self) { _ = try await rest.send(.post, "/fapi/v1/order", security: .signed) }
        #expect(error?.kind == .transient && error?.message.contains("not sent") == true)
    }
}
