/// HTTP method of a REST call.
public enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"

    /// True when the call changes state at the venue (its outcome can be unknown after a timeout).
    public var isWrite: Bool { self != .get }
}

/// One HTTP request as sent: the full URL (query included), headers and body.
public struct HTTPRequestData: Sendable, Hashable {
    public var method: HTTPMethod
    /// Path without host, e.g. `/fapi/v1/order`.
    public var path: String
    /// Percent-encoded query (signature last), without `?`.
    public var query: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: HTTPMethod, path: String, query: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// `path?query`.
    public var target: String { query.isEmpty ? path : "\(path)?\(query)" }
}

/// One HTTP response. Header names are matched case-insensitively.
public struct HTTPResponseData: Sendable, Hashable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers.map { (name: $0.0, value: $0.1) }
        self.body = body
    }

    public init(status: Int, headers: [(String, String)] = [], json: String) {
        self.init(status: status, headers: headers, body: Array(json.utf8))
    }

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    public static func == (lhs: HTTPResponseData, rhs: HTTPResponseData) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(body)
    }
}

/// Why a request got no HTTP response.
public enum HTTPTransportError: Error, Sendable, Hashable {
    /// The request never left (connection refused, DNS, TLS handshake): not executed.
    case notSent(String)
    /// The request may have reached the venue but no response came back in time: outcome unknown.
    case timedOut
    /// The connection broke after the request was written: outcome unknown.
    case connectionLost(String)
}

/// Port for the HTTP layer, so the REST client can be tested with a scripted transport and
/// run on AsyncHTTPClient in the app.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData
}
