import TradingModel

/// What the venue told us about our rate-limit budget, and whether we must stay silent.
///
/// Fed from every response's `X-MBX-USED-WEIGHT-1M` / `X-MBX-ORDER-COUNT-*` headers and from
/// 429/418 responses. A value type: the REST client keeps it behind a lock.
public struct RateLimitState: Sendable, Hashable {
    /// `X-MBX-USED-WEIGHT-1M` from the latest response.
    public private(set) var usedWeightPerMinute: Int?
    /// `X-MBX-ORDER-COUNT-<interval>` values by interval (`10S`, `1M`).
    public private(set) var orderCounts: [String: Int] = [:]
    /// The request-weight limit per minute (from `exchangeInfo.rateLimits`).
    public var weightLimitPerMinute: Int
    /// No request may be sent before this instant (429 back-off or 418 ban).
    public private(set) var silentUntil: Timestamp?

    public init(weightLimitPerMinute: Int = 2400) {
        self.weightLimitPerMinute = weightLimitPerMinute
    }

    /// Records the usage headers of a response.
    public mutating func observe(headers: [(name: String, value: String)]) {
        for header in headers {
            let name = header.name.uppercased()
            if name == "X-MBX-USED-WEIGHT-1M", let value = Int(header.value) {
                usedWeightPerMinute = value
            } else if name.hasPrefix("X-MBX-ORDER-COUNT-"), let value = Int(header.value) {
                orderCounts[String(name.dropFirst("X-MBX-ORDER-COUNT-".count))] = value
            }
        }
    }

    /// Stays silent until `until` (never shortens an existing, longer silence).
    public mutating func silence(until: Timestamp) {
        if let current = silentUntil, current >= until { return }
        silentUntil = until
    }

    /// How long to wait before the next request at `now`; nil when sending is allowed.
    /// Also pauses until the next minute when the reported weight already reached the limit.
    public func requiredWait(at now: Timestamp) -> Duration? {
        if let until = silentUntil, until > now { return until.since(now) }
        if let used = usedWeightPerMinute, used >= weightLimitPerMinute {
            return RateLimitState.nextMinute(after: now).since(now)
        }
        return nil
    }

    /// Books `weight` for a request about to be sent at `now`, or returns how long to wait first
    /// (a back-off in force, or the weight would take the minute's usage past the limit). The
    /// next response's `X-MBX-USED-WEIGHT-1M` replaces the booked estimate.
    public mutating func reserve(weight: Int, at now: Timestamp) -> Duration? {
        if let wait = requiredWait(at: now) { return wait }
        let used = usedWeightPerMinute ?? 0
        if used + weight > weightLimitPerMinute { return RateLimitState.nextMinute(after: now).since(now) }
        usedWeightPerMinute = used + weight
        return nil
    }

    /// The start of the next 1-minute window (Binance windows are aligned to the minute).
    public static func nextMinute(after now: Timestamp) -> Timestamp {
        Timestamp(milliseconds: (now.milliseconds / 60_000 + 1) * 60_000)
    }

    /// How long to back off after a 429/418 at `now`: the ban end in a `-1003` message, else
    /// `Retry-After` seconds, else the reset of the 1-minute window.
    public static func backOff(retryAfterHeader: String?, bannedUntil: Timestamp?, now: Timestamp) -> Duration {
        if let bannedUntil, bannedUntil > now { return bannedUntil.since(now) }
        if let text = retryAfterHeader?.filter({ $0 != " " }), let seconds = Int64(text), seconds >= 0 {
            return .seconds(seconds)
        }
        return nextMinute(after: now).since(now)
    }
}
