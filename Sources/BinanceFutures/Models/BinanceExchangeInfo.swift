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

    /// `PERCENT_PRICE` bounds (`multiplierUp`, `multiplierDown`), when published.
    public var percentPriceBounds: (up: Rate, down: Rate)? {
        guard let filter = filter("PERCENT_PRICE"), let up = filter.multiplierUp.flatMap(Rate.init),
              let down = filter.multiplierDown.flatMap(Rate.init) else { return nil }
        return (up, down)
    }

    /// `MAX_NUM_ORDERS.limit`, when published.
    public var maxOpenOrders: Int? { filter("MAX_NUM_ORDERS")?.limit }

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
        let marketStep: Quantity? = try market.flatMap { filter throws(BinanceDecodingError) in
            try Field.optionalDecimal(filter.stepSize, "MARKET_LOT_SIZE.stepSize", context)
        }
        return Instrument(
            symbol: symbolValue, baseAsset: baseAsset, quoteAsset: quoteAsset,
            tickSize: tickSize,
            minPrice: try Field.decimal(price.minPrice, "PRICE_FILTER.minPrice", context),
            maxPrice: try Field.decimal(price.maxPrice, "PRICE_FILTER.maxPrice", context),
            stepSize: stepSize,
            minQuantity: try Field.decimal(lot.minQty, "LOT_SIZE.minQty", context),
            maxQuantity: try Field.decimal(lot.maxQty, "LOT_SIZE.maxQty", context),
            marketStepSize: marketStep.flatMap { $0.isPositive ? $0 : nil },
            marketMinQuantity: try market.flatMap { filter throws(BinanceDecodingError) in
                try Field.optionalDecimal(filter.minQty, "MARKET_LOT_SIZE.minQty", context)
            },
            marketMaxQuantity: try market.flatMap { filter throws(BinanceDecodingError) in
                try Field.optionalDecimal(filter.maxQty, "MARKET_LOT_SIZE.maxQty", context)
            },
            minNotional: try Field.decimal(notional.notional, "MIN_NOTIONAL.notional", context),
            pricePrecision: pricePrecision, quantityPrecision: quantityPrecision,
            marginBrackets: brackets)
    }
}
