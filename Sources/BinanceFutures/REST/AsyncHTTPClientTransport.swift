import AsyncHTTPClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import NIOHTTP1

/// `HTTPTransport` on AsyncHTTPClient: the one used by the app. Owns no client lifecycle; the
/// composition root creates and shuts down the `HTTPClient`.
public struct AsyncHTTPClientTransport: HTTPTransport {
    let client: HTTPClient
    /// e.g. `https://fapi.binance.com` (no trailing slash).
    let baseURL: String
    let timeout: Duration
    let maxResponseBytes: Int

    public init(client: HTTPClient, baseURL: String, timeout: Duration = .seconds(10), maxResponseBytes: Int = 16 << 20) {
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        var outbound = HTTPClientRequest(url: baseURL + request.target)
        outbound.method = .init(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outbound.headers.add(name: name, value: value) }
        if !request.body.isEmpty { outbound.body = .bytes(ByteBuffer(bytes: request.body)) }
        let (seconds, attoseconds) = timeout.components
        let deadline = TimeAmount.milliseconds(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        do {
            let response = try await client.execute(outbound, timeout: deadline)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return HTTPResponseData(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(body.readableBytesView))
        } catch let error as HTTPClientError {
            throw AsyncHTTPClientTransport.classify(error)
        } catch {
            throw AsyncHTTPClientTransport.classify(other: error)
        }
    }

    /// Errors from below AsyncHTTPClient. A connection that could not be established (refused,
    /// no route, DNS failure, connect timeout: the pool gives up with the last connect error)
    /// carried no request: not sent. Anything else may have come after the request was written.
    static func classify(other error: any Error) -> HTTPTransportError {
        if let io = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, ENETDOWN].contains(io.errnoCode) {
            return .notSent("connection refused or unreachable (errno \(io.errnoCode))")
        }
        if error is NIOConnectionError { return .notSent("could not connect") }
        if case .connectTimeout? = error as? ChannelError { return .notSent("connect timeout") }
        return .connectionLost(String(describing: type(of: error)))
    }

    /// Connect-phase failures mean the request was not sent; anything later is an unknown outcome.
    static func classify(_ error: HTTPClientError) -> HTTPTransportError {
        let notSent: [HTTPClientError] = [
            .connectTimeout, .invalidURL, .emptyHost, .emptyScheme, .tlsHandshakeTimeout, .alreadyShutdown,
            .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
        ]
        if notSent.contains(error) { return .notSent(String(describing: error)) }
        if error == .readTimeout || error == .deadlineExceeded { return .timedOut }
        return .connectionLost(String(describing: error))
    }
}
