/// A Binance-shaped refusal: HTTP status, venue code and message (digest §6).
public struct VenueError: Error, Sendable, Hashable {
    public var status: Int
    public var code: Int
    public var message: String
    public var headers: [String: String]

    public init(status: Int = 400, code: Int, message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func missing(_ name: String) -> VenueError {
        VenueError(code: -1102, message: "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }

    static func malformed(_ name: String) -> VenueError {
        VenueError(code: -1102, message: "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }

    static let badSymbol = VenueError(code: -1121, message: "Invalid symbol.")
    static let noSuchOrder = VenueError(code: -2013, message: "Order does not exist.")
    static let unknownOrder = VenueError(code: -2011, message: "Unknown order sent.")
    static let badSignature = VenueError(code: -1022, message: "Signature for this request is not valid.")
    static let timestampOutsideWindow = VenueError(code: -1021, message: "Timestamp for this request is outside of the recvWindow.")
    static let timestampAhead = VenueError(code: -1021, message: "Timestamp for this request was 1000ms ahead of the server's time.")
    static let missingAPIKey = VenueError(status: 401, code: -2014, message: "API-key format invalid.")
    static let rejectedAPIKey = VenueError(status: 401, code: -2015, message: "Invalid API-key, IP, or permissions for action.")
    static let invalidListenKey = VenueError(code: -1125, message: "This listenKey does not exist.")
    static let notFound = VenueError(status: 404, code: -1000, message: "Unknown endpoint.")
}
