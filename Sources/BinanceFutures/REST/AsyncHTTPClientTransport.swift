import AsyncHTTPClient
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        } catch let error as IOError where AsyncHTTPClientTransport.connectFailures.contains(error.errnoCode) {
            // Refused / unreachable before a connection existed: nothing was written.
            throw .notSent("connection failed: \(error)")
        } catch {
            throw .connectionLost(String(describing: type(of: error)))
        }
    }

    /// `errno` values of a connect that never succeeded (the request cannot have been sent).
    static let connectFailures: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]

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
