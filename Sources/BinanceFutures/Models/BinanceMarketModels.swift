import TradingModel

/// `GET /fapi/v1/premiumIndex?symbol=`.
public struct BinancePremiumIndex: Sendable, Hashable, Decodable {
    public var symbol: String
    public var markPrice: String
    public var indexPrice: String?
    public var estimatedSettlePrice: String?
    public var lastFundingRate: String?
    public var interestRate: String?
    public var nextFundingTime: Int64?
    public var time: Int64

    public func markPrice(receivedAt: Timestamp) throws(BinanceDecodingError) -> MarkPrice {
        let context = "premiumIndex.\(symbol)"
        return MarkPrice(
            symbol: try Field.symbol(symbol, "symbol", context),
            price: try Field.price(markPrice, "markPrice", context),
            indexPrice: try Field.optionalPrice(indexPrice, "indexPrice", context),
            fundingRate: try Field.optionalDecimal(lastFundingRate, "lastFundingRate", context),
            nextFundingTime: try Field.optionalTime(nextFundingTime, "nextFundingTime", context),
            eventTime: try Field.time(time, "time", context), receiveTime: receivedAt)
    }
}

/// One row of `GET /fapi/v1/fundingRate`.
public struct BinanceFundingRateRow: Sendable, Hashable, Decodable {
    public var symbol: String
    public var fundingRate: String
    public var fundingTime: Int64
    public var markPrice: String?

    public func fundingRateValue() throws(BinanceDecodingError) -> FundingRate {
        let context = "fundingRate.\(symbol).\(fundingTime)"
        return FundingRate(fundingTime: try Field.time(fundingTime, "fundingTime", context),
                           rate: try Field.decimal(fundingRate, "fundingRate", context),
                           markPrice: try Field.optionalPrice(markPrice, "markPrice", context))
    }
}

/// `GET /fapi/v1/klines` rows: `[openTime, open, high, low, close, volume, closeTime,
/// quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]`.
public enum BinanceKlines {
    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [Candle] {
        let rows: [[KlineCell]] = try BinanceJSON.decode(body, context: "GET /fapi/v1/klines")
        var candles: [Candle] = []
        candles.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let context = "klines.\(index)"
            guard row.count >= 11, case .integer(let openTime) = row[0], case .integer(let trades) = row[8] else {
                throw BinanceDecodingError(context: context, field: "row", reason: "expected 12 columns with integer times")
            }
            func text(_ column: Int, _ name: String) -> String? {
                if case .text(let value) = row[column] { return value }
                return nil
            }
            let candle = Candle(
                openTime: try Field.time(openTime, "openTime", context),
                open: try Field.price(text(1, "open"), "open", context),
                high: try Field.price(text(2, "high"), "high", context),
                low: try Field.price(text(3, "low"), "low", context),
                close: try Field.price(text(4, "close"), "close", context),
                volume: try Field.quantity(text(5, "volume"), "volume", context),
                quoteVolume: try Field.decimal(text(7, "quoteVolume"), "quoteVolume", context),
                tradeCount: try Field.count(trades, "trades", context),
                takerBuyVolume: try Field.quantity(text(9, "takerBuyBase"), "takerBuyBase", context))
            try BinanceMarketStreamParser.checkRange(candle, context: context)
            candles.append(candle)
        }
        return candles
    }

    enum KlineCell: Decodable {
        case integer(Int64)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int64.self) {
                self = .integer(value)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }
}

/// Best bid/ask: `GET /fapi/v1/ticker/bookTicker` and the `bookTicker` stream.
public struct BookTicker: Sendable, Hashable {
    public var symbol: Symbol
    public var bidPrice: Price
    public var bidQuantity: Quantity
    public var askPrice: Price
    public var askQuantity: Quantity
    /// Venue time and our receive time.
    public var time: Timestamp
    public var receiveTime: Timestamp
}

/// `GET /fapi/v1/ticker/bookTicker?symbol=`.
struct BinanceBookTickerREST: Decodable {
    var symbol: String
    var bidPrice: String
    var bidQty: String
    var askPrice: String
    var askQty: String
    var time: Int64
}

extension BookTicker {
    public static func parseREST(_ body: [UInt8], receivedAt: Timestamp) throws(BinanceDecodingError) -> BookTicker {
        let raw: BinanceBookTickerREST = try BinanceJSON.decode(body, context: "GET /fapi/v1/ticker/bookTicker")
        let context = "bookTicker.\(raw.symbol)"
        return BookTicker(
            symbol: try Field.symbol(raw.symbol, "symbol", context),
            bidPrice: try Field.price(raw.bidPrice, "bidPrice", context),
            bidQuantity: try Field.quantity(raw.bidQty, "bidQty", context),
            askPrice: try Field.price(raw.askPrice, "askPrice", context),
            askQuantity: try Field.quantity(raw.askQty, "askQty", context),
            time: try Field.time(raw.time, "time", context), receiveTime: receivedAt)
    }
}

/// `GET /fapi/v1/depth`: price levels as `[price, quantity]` string pairs.
public struct BinanceDepth: Sendable, Hashable {
    public var lastUpdateID: Int64
    public var bids: [(price: Price, quantity: Quantity)]
    public var asks: [(price: Price, quantity: Quantity)]
    public var time: Timestamp?

    struct Raw: Decodable {
        var lastUpdateId: Int64
        var E: Int64?
        var bids: [[String]]
        var asks: [[String]]
    }

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> BinanceDepth {
        let raw: Raw = try BinanceJSON.decode(body, context: "GET /fapi/v1/depth")
        return BinanceDepth(lastUpdateID: raw.lastUpdateId,
                            bids: try levels(raw.bids, "bids"), asks: try levels(raw.asks, "asks"),
                            time: try Field.optionalTime(raw.E, "E", "depth"))
    }

    static func levels(_ rows: [[String]], _ name: String) throws(BinanceDecodingError) -> [(price: Price, quantity: Quantity)] {
        var result: [(price: Price, quantity: Quantity)] = []
        for (index, row) in rows.enumerated() {
            guard row.count == 2 else { throw BinanceDecodingError(context: "depth", field: "\(name).\(index)", reason: "expected [price, qty]") }
            result.append((try Field.price(row[0], "\(name).\(index).price", "depth"),
                           try Field.quantity(row[1], "\(name).\(index).qty", "depth")))
        }
        return result
    }

    public static func == (lhs: BinanceDepth, rhs: BinanceDepth) -> Bool {
        lhs.lastUpdateID == rhs.lastUpdateID && lhs.time == rhs.time
            && lhs.bids.map { [$0.price.raw, $0.quantity.raw] } == rhs.bids.map { [$0.price.raw, $0.quantity.raw] }
            && lhs.asks.map { [$0.price.raw, $0.quantity.raw] } == rhs.asks.map { [$0.price.raw, $0.quantity.raw] }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(lastUpdateID) }
}
