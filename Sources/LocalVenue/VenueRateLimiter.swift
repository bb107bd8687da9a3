import TradingModel

/// Counts request weight and new orders the way Binance does and answers 429 / 418 when a limit
/// is hit (digest §5). A value type owned by `VenueController`; time is venue time.
///
/// * Weight is counted per fixed 1-minute window (aligned to the minute), for every request,
///   accepted or refused; a request that would take the window past the limit is refused with
///   HTTP 429 `-1003` and `Retry-After` = seconds to the window's end, and is not executed.
/// * Order placements (`POST /fapi/v1/order`, `POST /fapi/v1/algoOrder`) weigh 0 on the IP limit
///   but count 1 on the 10 s and the 1 min order counters; past either limit: HTTP 429 `-1015`.
/// * A weighted request sent while a 429 back-off is in force gets the IP banned: HTTP 418 for
///   `firstBan`, doubling with each ban; during a ban every request is answered 418.
struct VenueRateLimiter: Sendable, Hashable {
    var limits: VenueRateLimits
    private var weightWindow: Int64 = -1
    private var weightUsed = 0
    private var minuteWindow: Int64 = -1
    private var ordersThisMinute = 0
    private var tenSecondWindow: Int64 = -1
    private var ordersThisTenSeconds = 0
    /// End of the window in which the client was told 429 (weighted requests before it are a violation).
    private(set) var backOffUntil: Timestamp?
    private(set) var bannedUntil: Timestamp?
    private var bans = 0

    init(limits: VenueRateLimits) { self.limits = limits }

    /// What the limiter decided for one request.
    enum Verdict: Sendable, Hashable {
        /// Serve it; these headers go on the answer.
        case serve(headers: [String: String])
        /// Refuse it with this error (not executed).
        case refuse(VenueError, violatedBackOff: Bool)
    }

    /// Books `request` at `now` and decides whether it may be executed.
    mutating func admit(_ request: VenueRequest, at now: Timestamp) -> Verdict {
        roll(now)
        if let until = bannedUntil, until > now {
            return .refuse(banned(until), violatedBackOff: true)
        }
        let weight = Self.weight(of: request)
        weightUsed += weight
        if weight > 0, let until = backOffUntil, until > now {
            bans += 1
            let length = limits.firstBan * (1 << min(bans - 1, 10))
            let end = now.advanced(by: length)
            bannedUntil = end
            return .refuse(banned(end), violatedBackOff: true)
        }
        if weight > 0, weightUsed > limits.weightPerMinute {
            let end = Self.windowEnd(now, length: 60_000)
            backOffUntil = end
            return .refuse(VenueError(status: 429, code: -1003,
                                      message: "Too many requests; current limit of IP(127.0.0.1) is \(limits.weightPerMinute) requests per minute. Please use the websocket for live updates to avoid polling the API.",
                                      headers: retryAfter(end, now).merging(usageHeaders(), uniquingKeysWith: { $1 })),
                           violatedBackOff: false)
        }
        if Self.isOrderPlacement(request) {
            if ordersThisTenSeconds + 1 > limits.ordersPerTenSeconds || ordersThisMinute + 1 > limits.ordersPerMinute {
                let tenSecondsFull = ordersThisTenSeconds + 1 > limits.ordersPerTenSeconds
                let end = tenSecondsFull ? Self.windowEnd(now, length: 10_000) : Self.windowEnd(now, length: 60_000)
                let (limit, interval) = tenSecondsFull ? (limits.ordersPerTenSeconds, "10 SECONDS") : (limits.ordersPerMinute, "MINUTE")
                return .refuse(VenueError(status: 429, code: -1015, message: "Too many new orders; current limit is \(limit) orders per \(interval).",
                                          headers: retryAfter(end, now).merging(usageHeaders(), uniquingKeysWith: { $1 })),
                               violatedBackOff: false)
            }
            ordersThisTenSeconds += 1
            ordersThisMinute += 1
            var headers = usageHeaders()
            headers["X-MBX-ORDER-COUNT-10S"] = String(ordersThisTenSeconds)
            headers["X-MBX-ORDER-COUNT-1M"] = String(ordersThisMinute)
            return .serve(headers: headers)
        }
        return .serve(headers: usageHeaders())
    }

    /// Weight used in the current minute (after `roll`).
    var usedWeight: Int { weightUsed }

    private mutating func roll(_ now: Timestamp) {
        let minute = now.milliseconds / 60_000
        if minute != weightWindow { weightWindow = minute; weightUsed = 0 }
        if minute != minuteWindow { minuteWindow = minute; ordersThisMinute = 0 }
        let tenSeconds = now.milliseconds / 10_000
        if tenSeconds != tenSecondWindow { tenSecondWindow = tenSeconds; ordersThisTenSeconds = 0 }
    }

    private func usageHeaders() -> [String: String] { ["X-MBX-USED-WEIGHT-1M": String(weightUsed)] }

    private func retryAfter(_ end: Timestamp, _ now: Timestamp) -> [String: String] {
        ["Retry-After": String(max(1, (end.milliseconds - now.milliseconds + 999) / 1000))]
    }

    private func banned(_ until: Timestamp) -> VenueError {
        VenueError(status: 418, code: -1003,
                   message: "Way too many requests; IP(127.0.0.1) banned until \(until.milliseconds). Please use the websocket for live updates to avoid bans.")
    }

    static func windowEnd(_ now: Timestamp, length: Int64) -> Timestamp {
        Timestamp(milliseconds: (now.milliseconds / length + 1) * length)
    }

    static func isOrderPlacement(_ request: VenueRequest) -> Bool {
        request.method == "POST" && (request.path == "/fapi/v1/order" || request.path == "/fapi/v1/algoOrder")
    }

    /// The IP weight of a request (USD-M endpoint pages, digest §3–§4).
    static func weight(of request: VenueRequest) -> Int {
        let withSymbol = request["symbol"] != nil
        switch request.route {
        case "POST /fapi/v1/order", "POST /fapi/v1/algoOrder": return 0
        case "GET /fapi/v1/openOrders", "GET /fapi/v1/openAlgoOrders": return withSymbol ? 1 : 40
        case "GET /fapi/v1/klines":
            let limit = request["limit"].flatMap { Int($0) } ?? 500
            return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10
        case "GET /fapi/v2/positionRisk", "GET /fapi/v3/positionRisk", "GET /fapi/v2/account", "GET /fapi/v3/account",
             "GET /fapi/v2/balance", "GET /fapi/v3/balance", "GET /fapi/v1/userTrades":
            return 5
        case "GET /fapi/v1/positionSide/dual", "GET /fapi/v1/income": return 30
        default: return 1
        }
    }
}
