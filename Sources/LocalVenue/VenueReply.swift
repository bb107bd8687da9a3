/// One HTTP answer of the venue: status, extra headers and a JSON body.
public struct VenueReply: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: VenueJSON
    /// Close the connection instead of answering (fault `acceptedThenConnectionLost`).
    public var dropsConnection = false
    /// Sent instead of `body` when set (fault `malformedAnswer`).
    public var rawBody: String?
    /// Answer only once the venue's released slow answers exceed this count (fault `slowAnswer`).
    public var heldUntilReleaseCount: Int?

    /// The text of the body as sent.
    public var bodyText: String { rawBody ?? body.text }

    public init(status: Int = 200, headers: [String: String] = [:], body: VenueJSON) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A Binance error body `{"code": …, "msg": …}` with its HTTP status.
    public static func error(_ error: VenueError) -> VenueReply {
        VenueReply(status: error.status, headers: error.headers,
                   body: .object([("code", .integer(Int64(error.code))), ("msg", .string(error.message))]))
    }
}
