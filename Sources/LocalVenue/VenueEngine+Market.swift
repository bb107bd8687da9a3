import TradingModel

/// Market-stream messages for one price point, in combined-stream form (`{"stream","data"}`):
/// `markPriceUpdate` (`@markPrice@1s`), `aggTrade`, `bookTicker` (one tick around the price) and,
/// when the point closes a candle, a closed `kline` (`@kline_1m`).
extension VenueEngine {
    mutating func publishMarket(_ point: VenuePricePoint, instrument: Instrument) {
        let lower = point.symbol.name.lowercased()
        let symbol = VenueJSON.string(point.symbol.name)
        let price = VenueJSON.value(point.price)
        let eightHours: Int64 = 8 * 3_600_000
        let nextFunding = (now.milliseconds / eightHours + 1) * eightHours
        emit("\(lower)@markPrice@1s", .object([
            ("e", .string("markPriceUpdate")), ("E", .time(now)), ("s", symbol), ("p", price), ("ap", price), ("i", price),
            ("P", price), ("r", .string("0.00010000")), ("T", .integer(nextFunding)),
        ]))
        let tradeID = nextAggregateTradeID
        nextAggregateTradeID += 1
        emit("\(lower)@aggTrade", .object([
            ("e", .string("aggTrade")), ("E", .time(now)), ("a", .integer(tradeID)), ("s", symbol), ("p", price),
            ("q", .value(instrument.minQuantity)), ("nq", .value(instrument.minQuantity)), ("f", .integer(tradeID)),
            ("l", .integer(tradeID)), ("T", .time(now)), ("m", .bool(false)),
        ]))
        emit("\(lower)@bookTicker", .object([
            ("e", .string("bookTicker")), ("u", .integer(tradeID)), ("s", symbol),
            ("b", .value(point.price - instrument.tickSize)), ("B", .string("1")),
            ("a", .value(point.price + instrument.tickSize)), ("A", .string("1")), ("T", .time(now)), ("E", .time(now)),
        ]))
        if let candle = point.closedCandle {
            emit("\(lower)@kline_1m", .object([
                ("e", .string("kline")), ("E", .time(now)), ("s", symbol),
                ("k", .object([
                    ("t", .time(candle.openTime)), ("T", .integer(candle.openTime.milliseconds + 59_999)), ("s", symbol),
                    ("i", .string("1m")), ("f", .integer(tradeID)), ("L", .integer(tradeID)), ("o", .value(candle.open)),
                    ("c", .value(candle.close)), ("h", .value(candle.high)), ("l", .value(candle.low)), ("v", .value(candle.volume)),
                    ("n", .integer(candle.tradeCount ?? 1)), ("x", .bool(true)), ("q", .value(candle.quoteVolume ?? .zero)),
                    ("V", .value(candle.takerBuyVolume ?? .zero)), ("Q", .string("0")), ("B", .string("0")),
                ])),
            ]))
        }
    }

    mutating func emit(_ stream: String, _ data: VenueJSON) {
        marketOutbox.append((stream, VenueJSON.object([("stream", .string(stream)), ("data", data)]).text))
    }

    /// Takes the pending stream messages (the controller delivers them).
    mutating func drainOutboxes() -> (user: [String], market: [(stream: String, text: String)]) {
        defer {
            userOutbox = []
            marketOutbox = []
        }
        return (userOutbox, marketOutbox)
    }
}
