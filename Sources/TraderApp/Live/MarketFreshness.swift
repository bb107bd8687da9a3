import TradingEngine
import TradingModel

/// Freshness of the market data, per symbol and per stream: the stream that drives prices (mark
/// price or trades, as configured) apart from the kline stream. Pure: times come in, verdicts go
/// out. A stream that never delivered counts from the session's start, so a symbol that never
/// sent a price is stale once its silence exceeds the limit (and no entry is taken before its
/// first price).
struct MarketFreshness: Sendable {
    enum Stream: String, Sendable, Hashable, CaseIterable {
        /// The price-driving stream (`markPrice@1s` or `aggTrade`).
        case prices
        case klines
    }

    struct Key: Sendable, Hashable {
        var symbol: Int
        var stream: Stream
    }

    private(set) var lastReceived: [Key: Timestamp] = [:]
    /// Streams judged stale (late or silent), with when the last reconnect was asked for them.
    private(set) var stale: [Key: Timestamp?] = [:]
    /// When judging started (the first reconciliation of a live session); nil: not yet.
    private(set) var startedAt: Timestamp?

    mutating func start(at time: Timestamp) { if startedAt == nil { startedAt = time } }

    /// An event of `stream` arrived at `time`. Returns true when it was stale and is fresh again.
    mutating func received(_ key: Key, at time: Timestamp) -> Bool {
        lastReceived[key] = time
        return stale.removeValue(forKey: key) != nil
    }

    /// An event arrived too late: the stream is stale. Returns true when it just became stale.
    mutating func late(_ key: Key) -> Bool {
        guard stale[key] == nil else { return false }
        stale[key] = .some(nil)
        return true
    }

    /// The streams silent longer than their limit at `time` (never-delivered streams count from
    /// `startedAt`), with the silence; each becomes stale.
    mutating func silent(at time: Timestamp, symbols: Int, limit: (Stream) -> Duration) -> [(key: Key, silence: Duration, newly: Bool)] {
        guard let startedAt else { return [] }
        var result: [(Key, Duration, Bool)] = []
        for symbol in 0..<symbols {
            for stream in Stream.allCases {
                let key = Key(symbol: symbol, stream: stream)
                let silence = time.since(lastReceived[key] ?? startedAt)
                guard silence > limit(stream) else { continue }
                let newly = stale[key] == nil
                if newly { stale[key] = .some(nil) }
                result.append((key, silence, newly))
            }
        }
        return result
    }

    /// True when a reconnect for `key` is due: never asked in this stale episode, or asked more
    /// than `interval` ago. Records the request.
    mutating func reconnectDue(_ key: Key, at time: Timestamp, interval: Duration) -> Bool {
        guard let entry = stale[key] else { return false }
        if let asked = entry, time.since(asked) < interval { return false }
        stale[key] = .some(time)
        return true
    }

    func isStale(symbol: Int) -> Bool { stale.keys.contains { $0.symbol == symbol } }

    /// True when the price stream of `symbol` has delivered since judging started.
    func hasPrices(symbol: Int) -> Bool { lastReceived[Key(symbol: symbol, stream: .prices)] != nil }
}
