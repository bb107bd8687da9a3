import TradingModel

/// `GET /fapi/v1/exchangeInfo`, decoded leniently: unknown filters and keys are ignored,
/// `orderTypes` may be missing or `null` (the 2024 capture has `"orderType": null`).
public struct BinanceExchangeInfo: Sendable, Decodable {
    public var serverTime: Int64?
    public var rateLimits: [RateLimit]
    public var symbols: [SymbolInfo]

    public struct RateLimit: Sendable, Hashable, Decodable {
        /// `REQUEST_WEIGHT` or `ORDERS`.
        public var rateLimitType: String
        /// `SECOND`, `MINUTE`, `DAY`.
        public var interval: String
        public var intervalNum: Int
        public var limit: Int
    }

    public struct SymbolInfo: Sendable, Decodable {
        public var symbol: String
        public var pair: String?
        public var contractType: String?
        public var status: String?
        public var baseAsset: String
        public var quoteAsset: String
        public var marginAsset: String?
        public var pricePrecision: Int?
        public var quantityPrecision: Int?
        public var triggerProtect: String?
        public var liquidationFee: String?
        public var marketTakeBound: String?
        public var orderTypes: [String]?
        public var timeInForce: [String]?
        public var filters: [Filter]
    }

    /// One entry of `filters[]`; every field optional because each `filterType` has its own.
    public struct Filter: Sendable, Decodable {
        public var filterType: String
        public var minPrice: String?
        public var maxPrice: String?
        public var tickSize: String?
        public var minQty: String?
        public var maxQty: String?
        public var stepSize: String?
        public var notional: String?
        public var limit: Int?
        public var multiplierUp: String?
        public var multiplierDown: String?
        public var multiplierDecimal: String?
    }

    /// The `REQUEST_WEIGHT` limit per minute, when published.
    public var weightLimitPerMinute: Int? {
        rateLimits.first { $0.rateLimitType == "REQUEST_WEIGHT" && $0.interval == "MINUTE" && $0.intervalNum == 1 }?.limit
    }

    /// The `ORDERS` limit of the `count` × `interval` window (`SECOND`/10, `MINUTE`/1), when published.
    public func orderLimit(interval: String, count: Int) -> Int? {
        rateLimits.first { $0.rateLimitType == "ORDERS" && $0.interval == interval && $0.intervalNum == count }?.limit
    }

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> BinanceExchangeInfo {
        try BinanceJSON.decode(body, context: "GET /fapi/v1/exchangeInfo")
    }

    public func symbolInfo(_ symbol: Symbol) -> SymbolInfo? { symbols.first { $0.symbol == symbol.name } }

    /// The `Instrument` for `symbol` with the given margin tiers (from `leverageBracket`).
    /// Throws when the symbol is absent or a required filter (PRICE_FILTER, LOT_SIZE,
    /// MIN_NOTIONAL) is missing or malformed.
    public func instrument(_ symbol: Symbol, brackets: [MarginBracket]) throws(BinanceDecodingError) -> Instrument {
        guard let info = symbolInfo(symbol) else {
            throw BinanceDecodingError(context: "exchangeInfo", field: "symbols", reason: "\(symbol) not listed")
        }
        return try info.instrument(brackets: brackets)
    }
}

extension BinanceExchangeInfo.SymbolInfo {
    /// True for a perpetual that is open for trading.
    public var isTradingPerpetual: Bool { status == "TRADING" && contractType == "PERPETUAL" }

    func filter(_ type: String) -> BinanceExchangeInfo.Filter? { filters.first { $0.filterType == type } }

    /// `PERCENT_PRICE` bounds (`multiplierUp`, `multiplierDown`), when published and plausible
    /// (up in 1…10, down in 0…1); nil otherwise.
    public var percentPriceBounds: (up: Rate, down: Rate)? {
        guard let filter = filter("PERCENT_PRICE"), let up = filter.multiplierUp.flatMap(Rate.init),
              let down = filter.multiplierDown.flatMap(Rate.init),
              up >= Rate(units: 1), up <= Rate(units: 10), !down.isNegative, down <= Rate(units: 1) else { return nil }
        return (up, down)
    }

    /// `MAX_NUM_ORDERS.limit`, when published.
    public var maxOpenOrders: Int? { filter("MAX_NUM_ORDERS")?.limit }

    /// The instrument with `brackets` (`BinanceLeverageBrackets.marginBrackets`). Filters must make sense: tick and step
    /// positive, bounds not negative, a maximum not below its minimum (a maximum of 0 disables
    /// it), precisions within 0…8; otherwise the field is named in the error.
    public func instrument(brackets: [MarginBracket]) throws(BinanceDecodingError) -> Instrument {
        let context = "exchangeInfo.\(symbol)"
        let symbolValue = try Field.symbol(symbol, "symbol", context)
        guard let price = filter("PRICE_FILTER") else {
            throw BinanceDecodingError(context: context, field: "filters.PRICE_FILTER", reason: "missing")
        }
        guard let lot = filter("LOT_SIZE") else {
            throw BinanceDecodingError(context: context, field: "filters.LOT_SIZE", reason: "missing")
        }
        guard let notional = filter("MIN_NOTIONAL") else {
            throw BinanceDecodingError(context: context, field: "filters.MIN_NOTIONAL", reason: "missing")
        }
        let market = filter("MARKET_LOT_SIZE")
        let tickSize: Price = try Field.decimal(price.tickSize, "PRICE_FILTER.tickSize", context)
        let stepSize: Quantity = try Field.decimal(lot.stepSize, "LOT_SIZE.stepSize", context)
        guard tickSize.isPositive else { throw BinanceDecodingError(context: context, field: "PRICE_FILTER.tickSize", reason: "not positive") }
        guard stepSize.isPositive else { throw BinanceDecodingError(context: context, field: "LOT_SIZE.stepSize", reason: "not positive") }
        let (minPrice, maxPrice): (Price, Price) = try Self.bounds(price.minPrice, price.maxPrice, "PRICE_FILTER", "Price", context)
        let (minQuantity, maxQuantity): (Quantity, Quantity) = try Self.bounds(lot.minQty, lot.maxQty, "LOT_SIZE", "Qty", context)
        let marketStep: Quantity? = try market.flatMap { filter throws(BinanceDecodingError) in
            try Field.optionalQuantity(filter.stepSize, "MARKET_LOT_SIZE.stepSize", context)
        }
        let marketMin = try Field.optionalQuantity(market?.minQty, "MARKET_LOT_SIZE.minQty", context)
        let marketMax = try Field.optionalQuantity(market?.maxQty, "MARKET_LOT_SIZE.maxQty", context)
        if let marketMin, let marketMax, !marketMax.isZero, marketMax < marketMin {
            throw BinanceDecodingError(context: context, field: "MARKET_LOT_SIZE.maxQty", reason: "\(marketMax) is below the minimum \(marketMin)")
        }
        let minNotional: Money = try Field.decimal(notional.notional, "MIN_NOTIONAL.notional", context)
        guard !minNotional.isNegative else { throw BinanceDecodingError(context: context, field: "MIN_NOTIONAL.notional", reason: "negative") }
        for (value, name) in [(pricePrecision, "pricePrecision"), (quantityPrecision, "quantityPrecision")] {
            if let value, !(0...FixedPoint.decimals).contains(value) {
                throw BinanceDecodingError(context: context, field: name, reason: "\(value) is outside 0…\(FixedPoint.decimals)")
            }
        }
        return Instrument(
            symbol: symbolValue, baseAsset: baseAsset, quoteAsset: quoteAsset,
            tickSize: tickSize, minPrice: minPrice, maxPrice: maxPrice,
            stepSize: stepSize, minQuantity: minQuantity, maxQuantity: maxQuantity,
            marketStepSize: marketStep.flatMap { $0.isPositive ? $0 : nil },
            marketMinQuantity: marketMin, marketMaxQuantity: marketMax,
            minNotional: minNotional,
            pricePrecision: pricePrecision, quantityPrecision: quantityPrecision,
            marginBrackets: brackets)
    }

    /// A filter's `min…`/`max…` pair: neither negative, the maximum (when not 0) not below the minimum.
    static func bounds<T: FixedPointValue>(_ minimum: String?, _ maximum: String?, _ filter: String, _ suffix: String,
                                           _ context: String) throws(BinanceDecodingError) -> (T, T) {
        let minName = "\(filter).min\(suffix)", maxName = "\(filter).max\(suffix)"
        let low: T = try Field.decimal(minimum, minName, context)
        let high: T = try Field.decimal(maximum, maxName, context)
        guard !low.isNegative else { throw BinanceDecodingError(context: context, field: minName, reason: "negative") }
        guard !high.isNegative, high.isZero || high >= low else {
            throw BinanceDecodingError(context: context, field: maxName, reason: "\(high) is negative or below the minimum \(low)")
        }
        return (low, high)
    }
}
