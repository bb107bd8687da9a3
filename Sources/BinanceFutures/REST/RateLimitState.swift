import TradingModel

/// Our side of Binance's rate limits: the request weight and order counts used in their current
/// windows, the venue's back-off orders, and whether a request may go out now.
///
/// * **Usage belongs to its window.** Weight is counted per 1-minute window, orders per 10-second
///   and 1-minute windows, all aligned like Binance's (to the minute, to the 10 s). A count read
///   in an earlier window reads as zero: the client cannot lock itself out.
/// * **Protection is never held back by IP weight.** A request marked protective (a reduce-only
///   close, a close-position backstop, a cancel, the status query of such an order) ignores the
///   weight budget and a 429 weight back-off when it weighs nothing (order placements cost 0 IP
///   weight); weighted protective requests ignore the budget but respect a 429 (the venue said
///   stop; another weighted request would get the IP banned, and then no order goes out).
/// * **Order counts are honoured with a reserve.** Entries stop `reserve` orders short of each
///   order-count limit, so protective orders can still be placed when entries used up theirs.
/// * **Waits are bounded.** `Retry-After`, the ban end of a 418, and window resets are capped at
///   `limits.maximumBackOff`: a nonsense value (a Retry-After of years) costs at most that long,
///   after which a request probes the venue again.
///
/// Fed from every response's `X-MBX-USED-WEIGHT-1M` / `X-MBX-ORDER-COUNT-10S` / `-1M` headers
/// and from 429/418 answers. A value type: the REST client keeps it behind a lock.
public struct RateLimitState: Sendable, Hashable {
    /// The limits in force (`exchangeInfo.rateLimits`, defaults from the 2024 capture).
    public struct Limits: Sendable, Hashable {
        /// `REQUEST_WEIGHT` per minute (per IP).
        public var weightPerMinute: Int = 2400
        /// `ORDERS` per 10 seconds (per account).
        public var ordersPerTenSeconds: Int = 300
        /// `ORDERS` per minute (per account).
        public var ordersPerMinute: Int = 1200
        /// Longest wait any venue answer can impose before the next request probes again.
        public var maximumBackOff: Duration = .seconds(300)

        public init(weightPerMinute: Int = 2400, ordersPerTenSeconds: Int = 300, ordersPerMinute: Int = 1200,
                    maximumBackOff: Duration = .seconds(300)) {
            self.weightPerMinute = weightPerMinute
            self.ordersPerTenSeconds = ordersPerTenSeconds
            self.ordersPerMinute = ordersPerMinute
            self.maximumBackOff = maximumBackOff
        }

        /// Orders of a window kept for protective orders: a tenth of the limit, at least one.
        public static func reserve(of limit: Int) -> Int { max(1, (limit + 9) / 10) }
    }

    public var limits: Limits
    /// Weight used in the current minute.
    public private(set) var weight = WindowedCount(lengthMilliseconds: 60_000)
    /// Orders placed in the current 10 s window.
    public private(set) var ordersTenSeconds = WindowedCount(lengthMilliseconds: 10_000)
    /// Orders placed in the current minute.
    public private(set) var ordersMinute = WindowedCount(lengthMilliseconds: 60_000)
    /// After a 429 on the IP weight: weighted requests wait until then.
    public private(set) var weightBackOffUntil: Timestamp?
    /// After a `-1015` (too many orders): order placements wait until then.
    public private(set) var orderBackOffUntil: Timestamp?
    /// After a 418 (IP banned): nothing is sent until then.
    public private(set) var bannedUntil: Timestamp?

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Weight used in the window containing `now` (zero once that window has passed).
    public func usedWeight(at now: Timestamp) -> Int { weight.value(at: now) }

    /// Orders placed in the 10 s and the 1 min windows containing `now`.
    public func orderCounts(at now: Timestamp) -> (tenSeconds: Int, minute: Int) {
        (ordersTenSeconds.value(at: now), ordersMinute.value(at: now))
    }

    /// Adopts the limits of `exchangeInfo.rateLimits`; absent or nonsense values (zero, negative)
    /// keep the current ones.
    public mutating func adopt(weightPerMinute: Int?, ordersPerTenSeconds: Int?, ordersPerMinute: Int?) {
        if let value = weightPerMinute, value > 0 { limits.weightPerMinute = value }
        if let value = ordersPerTenSeconds, value > 0 { limits.ordersPerTenSeconds = value }
        if let value = ordersPerMinute, value > 0 { limits.ordersPerMinute = value }
    }

    /// Decides whether a request of `cost` may be sent at `now`. Nil: send (its weight and order
    /// count are booked); otherwise the wait, bounded by `limits.maximumBackOff`.
    public mutating func admit(_ cost: RequestCost, at now: Timestamp) -> Duration? {
        if let wait = wait(for: cost, at: now) { return wait }
        weight.add(cost.weight, at: now)
        ordersTenSeconds.add(cost.orders, at: now)
        ordersMinute.add(cost.orders, at: now)
        return nil
    }

    /// The wait before a request of `cost` may go at `now` (nil: now), without booking it.
    public func wait(for cost: RequestCost, at now: Timestamp) -> Duration? {
        if let until = bannedUntil, until > now { return bounded(until.since(now)) }
        if cost.weight > 0 || !cost.protective, let until = weightBackOffUntil, until > now { return bounded(until.since(now)) }
        if !cost.protective, cost.weight > 0 || cost.orders > 0 {
            // Entries and reads wait for the weight budget (an entry may need status queries).
            if weight.value(at: now) + max(cost.weight, 1) > limits.weightPerMinute { return weight.remaining(at: now) }
        }
        if cost.orders > 0 {
            if let until = orderBackOffUntil, until > now { return bounded(until.since(now)) }
            let tenSecondLimit = limits.ordersPerTenSeconds - (cost.protective ? 0 : Limits.reserve(of: limits.ordersPerTenSeconds))
            if ordersTenSeconds.value(at: now) + cost.orders > tenSecondLimit { return ordersTenSeconds.remaining(at: now) }
            let minuteLimit = limits.ordersPerMinute - (cost.protective ? 0 : Limits.reserve(of: limits.ordersPerMinute))
            if ordersMinute.value(at: now) + cost.orders > minuteLimit { return ordersMinute.remaining(at: now) }
        }
        return nil
    }

    /// Records the usage headers of a response to a request sent at `sentAt` and answered at
    /// `receivedAt`. A count is the venue's for the window the request was counted in: it is
    /// kept only when that window is still the current one, and never lowers our own booking
    /// (requests still in flight are in ours, not yet in the venue's).
    public mutating func observe(headers: [(name: String, value: String)], sentAt: Timestamp, receivedAt: Timestamp) {
        for header in headers {
            let name = header.name.uppercased()
            guard let value = Int(header.value.filter { $0 != " " }), value >= 0 else { continue }
            switch name {
            case "X-MBX-USED-WEIGHT-1M": weight.observe(value, sentAt: sentAt, receivedAt: receivedAt)
            case "X-MBX-ORDER-COUNT-10S": ordersTenSeconds.observe(value, sentAt: sentAt, receivedAt: receivedAt)
            case "X-MBX-ORDER-COUNT-1M": ordersMinute.observe(value, sentAt: sentAt, receivedAt: receivedAt)
            default: continue
            }
        }
    }

    /// Records a 429/418 (or `-1003`/`-1015` in a body) at `now` and returns the back-off,
    /// bounded by `limits.maximumBackOff`: the ban end of a `-1003` message, else `Retry-After`
    /// seconds, else the end of the window that overflowed (for `-1015`, the 10 s window when
    /// the message names seconds, else the minute). A 418 or a ban message silences every
    /// request; `-1015` silences order placements; any other 429 weighted requests.
    public mutating func rateLimited(status: Int, code: Int?, message: String? = nil, retryAfterHeader: String?,
                                     bannedUntil banEnd: Timestamp?, at now: Timestamp) -> Duration {
        let isOrderLimit = code == -1015
        let tenSeconds = message?.uppercased().contains("SECOND") == true
        let fallback = isOrderLimit && tenSeconds ? ordersTenSeconds.remaining(at: now) : weight.remaining(at: now)
        let backOff = Self.backOff(retryAfterHeader: retryAfterHeader, bannedUntil: banEnd, now: now, fallback: fallback,
                                   maximum: limits.maximumBackOff)
        let until = now.advanced(by: backOff)
        if status == 418 || banEnd != nil {
            bannedUntil = max(bannedUntil ?? until, until)
        } else if isOrderLimit {
            orderBackOffUntil = max(orderBackOffUntil ?? until, until)
        } else {
            weightBackOffUntil = max(weightBackOffUntil ?? until, until)
        }
        return backOff
    }

    /// The start of the next 1-minute window (Binance windows are aligned to the minute).
    public static func nextMinute(after now: Timestamp) -> Timestamp {
        Timestamp(milliseconds: (now.milliseconds / 60_000 + 1) * 60_000)
    }

    /// How long to back off: the ban end (when in the future), else `Retry-After` seconds (a
    /// non-negative integer), else `fallback`; never longer than `maximum`. Nonsense values
    /// (negative, non-numeric, beyond `Int64`) fall through to the next rule.
    public static func backOff(retryAfterHeader: String?, bannedUntil: Timestamp?, now: Timestamp, fallback: Duration,
                               maximum: Duration) -> Duration {
        let cap = max(maximum, .milliseconds(1))
        if let bannedUntil, bannedUntil > now {
            let (span, overflow) = bannedUntil.milliseconds.subtractingReportingOverflow(now.milliseconds)
            return overflow ? cap : min(.milliseconds(span), cap)
        }
        if let text = retryAfterHeader?.filter({ $0 != " " }), let seconds = Int64(text), seconds >= 0 {
            return seconds > 86_400 * 365 * 1000 ? cap : min(.seconds(seconds), cap)
        }
        return min(max(fallback, .zero), cap)
    }

    private func bounded(_ wait: Duration) -> Duration { min(wait, limits.maximumBackOff) }
}

/// A count that belongs to one fixed, aligned time window (Binance's rate-limit windows).
public struct WindowedCount: Sendable, Hashable {
    public let lengthMilliseconds: Int64
    /// Index of the window the count belongs to (`time / length`).
    public private(set) var window: Int64 = .min
    public private(set) var count = 0

    public init(lengthMilliseconds: Int64) { self.lengthMilliseconds = lengthMilliseconds }

    func index(_ time: Timestamp) -> Int64 { time.milliseconds / lengthMilliseconds }

    /// The count of the window containing `now`: zero once the counted window has passed.
    public func value(at now: Timestamp) -> Int { index(now) == window ? count : 0 }

    /// Time left in the window containing `now`.
    public func remaining(at now: Timestamp) -> Duration {
        .milliseconds((index(now) + 1) * lengthMilliseconds - now.milliseconds)
    }

    mutating func add(_ amount: Int, at now: Timestamp) {
        guard amount > 0 else { return }
        let current = index(now)
        if current != window { window = current; count = 0 }
        count = count > Int.max - amount ? Int.max : count + amount
    }

    /// A venue count for the window of `sentAt`, kept when it is still current at `receivedAt`.
    mutating func observe(_ value: Int, sentAt: Timestamp, receivedAt: Timestamp) {
        let sentWindow = index(sentAt)
        guard sentWindow == index(receivedAt) else { return }
        if sentWindow != window { window = sentWindow; count = 0 }
        count = max(count, value)
    }
}

/// What a request costs against the limits, and whether it protects a position.
public struct RequestCost: Sendable, Hashable {
    /// IP weight (`REQUEST_WEIGHT`).
    public var weight: Int
    /// New orders counted on the `ORDERS` limits (0 or 1).
    public var orders: Int
    /// A reduce-only close, a close-position backstop, a cancel, or a status query of one.
    public var protective: Bool

    public init(weight: Int, orders: Int = 0, protective: Bool = false) {
        self.weight = weight
        self.orders = orders
        self.protective = protective
    }
}
