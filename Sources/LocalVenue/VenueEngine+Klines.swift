import TradingModel

/// `GET /fapi/v1/klines` from the venue's own history: every candle the price path has closed
/// (published on `kline_1m`), plus history loaded before the path starts (`loadKlineHistory`),
/// so a live session can back-fill its warm-up against the venue. Only `interval=1m`.
extension VenueEngine {
    /// Adds klines of `symbol` older than any it already has (e.g. the part of a candle file
    /// before the path's start), oldest first.
    public mutating func loadKlineHistory(_ candles: [Candle], symbol: Symbol) {
        let first = klineHistory[symbol]?.first?.openTime
        let older = candles.filter { first == nil || $0.openTime < first! }.sorted { $0.openTime < $1.openTime }
        klineHistory[symbol, default: []].insert(contentsOf: older, at: 0)
    }

    /// Records a candle the path closed (called for every point with a `closedCandle`).
    mutating func recordClosedKline(_ candle: Candle, symbol: Symbol) {
        if let last = klineHistory[symbol]?.last, last.openTime >= candle.openTime { return }
        klineHistory[symbol, default: []].append(candle)
    }

    /// `symbol`, `interval` (`1m`), optional `startTime`/`endTime` (open times, inclusive),
    /// `limit` (default 500, 1…1500). Without `startTime` the newest `limit` klines up to `endTime`.
    func klines(_ request: VenueRequest) throws(VenueError) -> VenueJSON {
        let (symbol, _) = try symbolIndex(request)
        guard let interval = request["interval"] else { throw .missing("interval") }
        guard interval == "1m" else { throw VenueError(code: -1120, message: "Invalid interval.") }
        let limit = Int(request["limit"] ?? "500") ?? -1
        guard (1...1500).contains(limit) else { throw VenueError(code: -1130, message: "Data sent for paramter 'limit' is not valid.") }
        let start = request["startTime"].flatMap(Int64.init)
        let end = request["endTime"].flatMap(Int64.init)
        let inRange = (klineHistory[symbol] ?? []).filter { candle in
            let open = candle.openTime.milliseconds
            return open >= (start ?? Int64.min) && open <= (end ?? Int64.max)
        }
        let page = start == nil ? Array(inRange.suffix(limit)) : Array(inRange.prefix(limit))
        return .array(page.map { candle in
            let open = candle.openTime.milliseconds
            return .array([.integer(open), .string("\(candle.open)"), .string("\(candle.high)"), .string("\(candle.low)"),
                           .string("\(candle.close)"), .string("\(candle.volume)"), .integer(open + 59_999),
                           .string("\(candle.quoteVolume ?? .zero)"), .integer(candle.tradeCount ?? 0),
                           .string("\(candle.takerBuyVolume ?? .zero)"), .string("0"), .string("0")])
        })
    }
}
