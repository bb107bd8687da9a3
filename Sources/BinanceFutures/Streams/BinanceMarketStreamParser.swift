import TradingEngine
import TradingModel

/// A decoded market-stream message. Only closed klines (`k.x == true`) become engine candles.
public enum BinanceMarketMessage: Sendable, Hashable {
    case markPrice(MarkPrice)
    case trade(Trade)
    case kline(Symbol, Candle, interval: Duration, closed: Bool)
    case bookTicker(BookTicker)
    /// A diff-depth update: first/final update ids and the previous final id (`pu`) for gap checks.
    case depthUpdate(Symbol, firstUpdateID: Int64, finalUpdateID: Int64, previousFinalUpdateID: Int64?, time: Timestamp)
    /// A liquidation order in the market (`forceOrder`).
    case liquidation(Symbol, side: OrderSide, price: Price, quantity: Quantity, time: Timestamp)
    /// Subscription replies and event types we do not use; logged by the caller.
    case ignored(String)

    /// The engine event, when this message is one (closed kline, mark price, trade).
    public var marketEvent: MarketEvent? {
        switch self {
        case .markPrice(let mark): .markPrice(mark)
        case .trade(let trade): .trade(trade)
        case .kline(let symbol, let candle, let interval, let closed): closed ? .candle(symbol, candle, interval: interval) : nil
        default: nil
        }
    }
}

/// Parses market-stream payloads, raw (`/ws/<stream>`) or combined (`{"stream","data"}`).
/// Prices must be positive, quantities not negative, a kline's high and low must enclose its
/// open and close, times must fall in 1970…2200, all within `VenueValueLimits`; otherwise the
/// message throws a `BinanceDecodingError` naming the field (the caller drops and reports it).
public enum BinanceMarketStreamParser {
    public static func parse(_ bytes: [UInt8], receivedAt: Timestamp) throws(BinanceDecodingError) -> BinanceMarketMessage {
        let peek: StreamPeek = try BinanceJSON.decode(bytes, context: "market stream")
        let wrapped = peek.data != nil
        guard let eventType = peek.data?.e ?? peek.e else { return .ignored(peek.result == nil && peek.id != nil ? "reply" : "no event type") }
        func payload<T: Decodable>(_ type: T.Type) throws(BinanceDecodingError) -> T {
            if wrapped {
                let envelope: StreamEnvelope<T> = try BinanceJSON.decode(bytes, context: eventType)
                return envelope.data
            }
            return try BinanceJSON.decode(bytes, context: eventType)
        }
        switch eventType {
        case "markPriceUpdate":
            let raw = try payload(RawMarkPrice.self)
            let context = "markPriceUpdate"
            return .markPrice(MarkPrice(
                symbol: try Field.symbol(raw.s, "s", context), price: try Field.price(raw.p, "p", context),
                indexPrice: try Field.optionalPrice(raw.i, "i", context), fundingRate: try Field.optionalDecimal(raw.r, "r", context),
                nextFundingTime: try Field.optionalTime(raw.T, "T", context),
                eventTime: try Field.time(raw.E, "E", context), receiveTime: receivedAt))
        case "aggTrade":
            let raw = try payload(RawAggTrade.self)
            let context = "aggTrade"
            let price = try Field.price(raw.p, "p", context)
            let quantity = try Field.quantity(raw.q, "q", context)
            guard quantity.isPositive else { throw BinanceDecodingError(context: context, field: "q", reason: "a trade of quantity 0") }
            try Field.checkNotional(price, quantity, "q", context)
            return .trade(Trade(
                symbol: try Field.symbol(raw.s, "s", context), price: price, quantity: quantity, buyerIsMaker: raw.m,
                tradeTime: try Field.time(raw.T, "T", context), receiveTime: receivedAt))
        case "kline":
            let raw = try payload(RawKline.self)
            let context = "kline"
            guard let interval = klineInterval(raw.k.i) else {
                throw BinanceDecodingError(context: context, field: "k.i", reason: "unsupported interval \"\(raw.k.i)\"")
            }
            let candle = Candle(
                openTime: try Field.time(raw.k.t, "k.t", context),
                open: try Field.price(raw.k.o, "k.o", context), high: try Field.price(raw.k.h, "k.h", context),
                low: try Field.price(raw.k.l, "k.l", context), close: try Field.price(raw.k.c, "k.c", context),
                volume: try Field.quantity(raw.k.v, "k.v", context), quoteVolume: try Field.optionalDecimal(raw.k.q, "k.q", context),
                tradeCount: try raw.k.n.map { count throws(BinanceDecodingError) in try Field.count(count, "k.n", context) },
                takerBuyVolume: try Field.optionalQuantity(raw.k.V, "k.V", context))
            try checkRange(candle, context: context)
            return .kline(try Field.symbol(raw.k.s ?? raw.s, "k.s", context), candle, interval: interval, closed: raw.k.x)
        case "bookTicker":
            let raw = try payload(RawBookTicker.self)
            let context = "bookTicker"
            let bid: Price = try Field.decimal(raw.b, "b", context)
            let ask: Price = try Field.decimal(raw.a, "a", context)
            guard !bid.isNegative, !ask.isNegative else { throw BinanceDecodingError(context: context, field: "b", reason: "negative price") }
            return .bookTicker(BookTicker(
                symbol: try Field.symbol(raw.s, "s", context),
                bidPrice: bid, bidQuantity: try Field.quantity(raw.B, "B", context),
                askPrice: ask, askQuantity: try Field.quantity(raw.A, "A", context),
                time: try Field.optionalTime(raw.T ?? raw.E, "T", context) ?? Timestamp(milliseconds: 0), receiveTime: receivedAt))
        case "depthUpdate":
            let raw = try payload(RawDepthUpdate.self)
            return .depthUpdate(try Field.symbol(raw.s, "s", "depthUpdate"), firstUpdateID: raw.U, finalUpdateID: raw.u,
                                previousFinalUpdateID: raw.pu, time: try Field.time(raw.E, "E", "depthUpdate"))
        case "forceOrder":
            let raw = try payload(RawForceOrder.self)
            let context = "forceOrder"
            let averagePrice = try Field.optionalPrice(raw.o.ap, "o.ap", context)
            let limitPrice = try Field.optionalPrice(raw.o.p, "o.p", context)
            guard let price = averagePrice ?? limitPrice else { throw BinanceDecodingError(context: context, field: "o.p", reason: "no price") }
            let quantity = try Field.quantity(raw.o.z ?? raw.o.q, "o.z", context)
            try Field.checkNotional(price, quantity, "o.z", context)
            return .liquidation(
                try Field.symbol(raw.o.s, "o.s", context), side: try Field.orderSide(raw.o.S, "o.S", context),
                price: price, quantity: quantity, time: try Field.time(raw.o.T, "o.T", context))
        default:
            return .ignored(eventType)
        }
    }

    /// A candle's high and low must enclose its open and close.
    static func checkRange(_ candle: Candle, context: String) throws(BinanceDecodingError) {
        guard candle.high >= candle.low, candle.high >= candle.open, candle.high >= candle.close,
              candle.low <= candle.open, candle.low <= candle.close else {
            throw BinanceDecodingError(context: context, field: "k.h", reason: "high \(candle.high) / low \(candle.low) do not enclose open \(candle.open) and close \(candle.close)")
        }
    }

    /// Kline interval text → span (`1m` … `1w`); nil for calendar months (`1M`).
    /// Counts above 1000 are refused (no such interval exists; the product could overflow).
    public static func klineInterval(_ text: String) -> Duration? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, count <= 1000 else { return nil }
        switch unit {
        case "s": return .seconds(count)
        case "m": return .seconds(count * 60)
        case "h": return .seconds(count * 3600)
        case "d": return .seconds(count * 86_400)
        case "w": return .seconds(count * 604_800)
        default: return nil
        }
    }
}

struct StreamPeek: Decodable {
    struct Inner: Decodable { var e: String? }
    var e: String?
    var stream: String?
    var data: Inner?
    var id: FlexibleString?
    var result: FlexibleString?
}

struct StreamEnvelope<T: Decodable>: Decodable {
    var stream: String?
    var data: T
}

struct RawMarkPrice: Decodable {
    var E: Int64
    var s: String
    var p: String
    var i: String?
    var r: String?
    var T: Int64?
}

struct RawAggTrade: Decodable {
    var s: String
    var p: String
    var q: String
    var T: Int64
    var m: Bool
}

struct RawKline: Decodable {
    struct Bar: Decodable {
        var t: Int64
        var s: String?
        var i: String
        var o: String
        var c: String
        var h: String
        var l: String
        var v: String
        var n: Int64?
        var x: Bool
        var q: String?
        var V: String?
    }
    var s: String
    var k: Bar
}

struct RawBookTicker: Decodable {
    var s: String
    var b: String
    var B: String
    var a: String
    var A: String
    var T: Int64?
    var E: Int64?
}

struct RawDepthUpdate: Decodable {
    var E: Int64
    var s: String
    var U: Int64
    var u: Int64
    var pu: Int64?
}

struct RawForceOrder: Decodable {
    struct Order: Decodable {
        var s: String
        var S: String
        var q: String
        var p: String
        var ap: String?
        var z: String?
        var T: Int64
    }
    var o: Order
}
