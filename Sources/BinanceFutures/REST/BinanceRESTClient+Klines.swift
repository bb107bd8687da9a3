import TradingEngine
import TradingModel

/// Closed klines from `GET /fapi/v1/klines` (public market data), one page or a paged range.
///
/// Weight per page (USD-M docs): 1 below 100 rows, 2 below 500, 5 up to 1000, 10 above.
/// Like every call, a page is admitted by the minute's weight budget first (`RateLimitState`);
/// if it does not fit, `.rateLimited(retryAfter:)` with the wait until the next minute and
/// nothing is sent. It never sleeps.
extension BinanceRESTClient {
    /// Most rows Binance answers per kline request.
    public static let klinePageLimit = 1500

    /// The request weight of one klines call with `limit` rows.
    public static func klineWeight(limit: Int) -> Int { BinanceEndpointCost.klineWeight(limit: limit) }

    /// One page: klines of `symbol` opening in `[start, end]`, oldest first, at most `limit`
    /// (1...1500). `interval` is Binance's name (`1m`, `1h`) and `length` its duration.
    public func klines(symbol: Symbol, interval: String, length: Duration, start: Timestamp, end: Timestamp,
                       limit: Int) async throws(ExecutionError) -> [Candle] {
        guard (1...Self.klinePageLimit).contains(limit) else {
            throw ExecutionError(.configuration, message: "klines limit \(limit) is outside 1...\(Self.klinePageLimit)")
        }
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append("interval", interval)
        query.append("startTime", String(start.milliseconds))
        query.append("endTime", String(end.milliseconds))
        query.append("limit", String(limit))
        let body = try await send(.get, "/fapi/v1/klines", query, security: .none)
        do throws(BinanceDecodingError) {
            return try BinanceKlines.parse(body)
        } catch {
            throw ExecutionError(.configuration, message: error.description)
        }
    }

    /// Every kline of `symbol` opening in `[start, end]`, oldest first, in pages of
    /// `pageLimit` (each next page starts one interval after the last row received). Rows
    /// outside the range or not newer than the previous row are dropped. Stops at `end`, or
    /// when a page comes back short (the venue has nothing newer).
    public func klineHistory(symbol: Symbol, interval: String, length: Duration, start: Timestamp, end: Timestamp,
                             pageLimit: Int = BinanceRESTClient.klinePageLimit) async throws(ExecutionError) -> KlineHistory {
        var history = KlineHistory(candles: [], requests: 0, weight: 0)
        var from = start
        while from <= end {
            let page = try await klines(symbol: symbol, interval: interval, length: length, start: from, end: end, limit: pageLimit)
            history.requests += 1
            history.weight += Self.klineWeight(limit: pageLimit)
            for candle in page where candle.openTime >= from && candle.openTime <= end {
                if let last = history.candles.last, candle.openTime <= last.openTime { continue }
                history.candles.append(candle)
            }
            guard page.count >= pageLimit, let last = history.candles.last else { break }
            from = last.openTime.advanced(by: length)
        }
        return history
    }
}

/// Klines of one paged request range and what fetching them cost.
public struct KlineHistory: Sendable, Hashable {
    /// Oldest first, strictly increasing open times.
    public var candles: [Candle]
    /// Pages requested.
    public var requests: Int
    /// Request weight of those pages.
    public var weight: Int
}
