import TradingEngine
import TradingModel

/// One row of `GET /fapi/v3/positionRisk` (also reads v2 rows, which add `leverage`/`marginType`).
public struct BinancePositionRisk: Sendable, Hashable, Decodable {
    public var symbol: String
    public var positionSide: String?
    /// Signed: negative for a short in one-way mode.
    public var positionAmt: String
    public var entryPrice: String?
    public var breakEvenPrice: String?
    public var markPrice: String?
    public var unRealizedProfit: String?
    public var liquidationPrice: String?
    public var isolatedMargin: String?
    public var notional: String?
    public var isolatedWallet: String?
    public var initialMargin: String?
    public var maintMargin: String?
    public var positionInitialMargin: String?
    /// v2 only.
    public var leverage: String?
    /// v2 only (`isolated` / `cross`).
    public var marginType: String?
    public var updateTime: Int64?

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [BinancePositionRisk] {
        try BinanceJSON.decode(body, context: "GET /fapi/v3/positionRisk")
    }

    /// The engine's view; nil for a flat row. v3 has no `leverage`: it comes from `leverage`
    /// (v2), else `leverageHint` (what we set), else `|notional| / positionInitialMargin` rounded.
    public func snapshot(leverageHint: Int? = nil) throws(BinanceDecodingError) -> PositionSnapshot? {
        let context = "positionRisk.\(symbol)"
        let amount: Quantity = try Field.decimal(positionAmt, "positionAmt", context)
        guard !amount.isZero else { return nil }
        // An open position has a positive entry price (an entry price of 0 is refused).
        let entry = try Field.price(entryPrice, "entryPrice", context)
        try Field.checkNotional(entry, amount.magnitude, "entryPrice", context)
        var leverageValue: Int?
        if let text = leverage {
            guard let value = Int(text) else { throw BinanceDecodingError(context: context, field: "leverage", reason: "not an integer: \"\(text)\"") }
            leverageValue = try Field.leverage(value, "leverage", context)
        } else if let hint = leverageHint {
            leverageValue = hint
        } else if let notional: Money = try Field.optionalDecimal(notional, "notional", context),
                  let margin: Money = try Field.nonZeroDecimal(positionInitialMargin, "positionInitialMargin", context), margin.isPositive {
            // |notional| / margin, both bounded: the quotient fits; clamped to the plausible range.
            let ratio = FixedPoint.divide(Int128(notional.magnitude.raw), by: Int128(margin.raw), rounding: .nearest)
            leverageValue = Int(min(max(ratio, 1), Int64(VenueValueLimits.maximumLeverage)))
        }
        return PositionSnapshot(
            symbol: try Field.symbol(symbol, "symbol", context),
            signedQuantity: amount,
            entryPrice: entry,
            leverage: min(max(1, leverageValue ?? 1), VenueValueLimits.maximumLeverage),
            isolatedMargin: try Field.optionalDecimal(isolatedMargin, "isolatedMargin", context) ?? .zero,
            liquidationPrice: try Field.optionalPrice(liquidationPrice, "liquidationPrice", context),
            unrealizedPnL: try Field.optionalDecimal(unRealizedProfit, "unRealizedProfit", context) ?? .zero,
            maintenanceMargin: try Field.optionalDecimal(maintMargin, "maintMargin", context))
    }
}

/// `GET /fapi/v2/account` or `/fapi/v3/account`: totals, per-asset balances, positions.
public struct BinanceAccount: Sendable, Hashable, Decodable {
    public var totalWalletBalance: String
    public var totalUnrealizedProfit: String?
    public var totalMarginBalance: String?
    public var totalInitialMargin: String?
    public var totalMaintMargin: String?
    public var availableBalance: String?
    public var maxWithdrawAmount: String?
    public var assets: [Asset]
    public var positions: [Position]

    public struct Asset: Sendable, Hashable, Decodable {
        public var asset: String
        public var walletBalance: String
        public var unrealizedProfit: String?
        public var marginBalance: String?
        public var availableBalance: String?
    }

    public struct Position: Sendable, Hashable, Decodable {
        public var symbol: String
        public var positionSide: String?
        public var positionAmt: String
        public var unrealizedProfit: String?
        public var isolatedMargin: String?
        public var initialMargin: String?
        public var maintMargin: String?
    }

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> BinanceAccount {
        try BinanceJSON.decode(body, context: "GET /fapi/v3/account")
    }

    /// Totals in fixed point.
    public func totals() throws(BinanceDecodingError) -> (wallet: Money, unrealizedPnL: Money, available: Money) {
        let context = "account"
        return (try Field.decimal(totalWalletBalance, "totalWalletBalance", context),
                try Field.optionalDecimal(totalUnrealizedProfit, "totalUnrealizedProfit", context) ?? .zero,
                try Field.optionalDecimal(availableBalance, "availableBalance", context) ?? .zero)
    }
}

/// One asset of `GET /fapi/v2/balance` / `/fapi/v3/balance`.
public struct BinanceBalance: Sendable, Hashable, Decodable {
    public var asset: String
    public var balance: String
    public var crossWalletBalance: String?
    public var crossUnPnl: String?
    public var availableBalance: String?
    public var maxWithdrawAmount: String?
    public var updateTime: Int64?

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [BinanceBalance] {
        try BinanceJSON.decode(body, context: "GET /fapi/v2/balance")
    }

    public func amounts() throws(BinanceDecodingError) -> (balance: Money, available: Money) {
        let context = "balance.\(asset)"
        return (try Field.decimal(balance, "balance", context),
                try Field.optionalDecimal(availableBalance, "availableBalance", context) ?? .zero)
    }
}

/// One fill of `GET /fapi/v1/userTrades`.
public struct BinanceUserTrade: Sendable, Hashable, Decodable {
    public var symbol: String
    public var id: Int64
    public var orderId: Int64
    public var side: String
    public var price: String
    public var qty: String
    public var quoteQty: String?
    public var realizedPnl: String?
    public var commission: String
    public var commissionAsset: String
    public var time: Int64
    public var positionSide: String?
    public var buyer: Bool?
    public var maker: Bool

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [BinanceUserTrade] {
        try BinanceJSON.decode(body, context: "GET /fapi/v1/userTrades")
    }

    /// Values in fixed point: price, quantity, realized PnL, commission (positive = paid).
    public func values() throws(BinanceDecodingError) -> (price: Price, quantity: Quantity, realizedPnL: Money, commission: Money) {
        let context = "userTrades.\(id)"
        let price = try Field.price(price, "price", context)
        let quantity = try Field.quantity(qty, "qty", context)
        guard quantity.isPositive else { throw BinanceDecodingError(context: context, field: "qty", reason: "a trade of quantity 0") }
        try Field.checkNotional(price, quantity, "qty", context)
        return (price, quantity, try Field.optionalDecimal(realizedPnl, "realizedPnl", context) ?? .zero,
                try Field.decimal(commission, "commission", context))
    }
}

/// One row of `GET /fapi/v1/income` (realized PnL, commission, funding fee, transfers…).
public struct BinanceIncome: Sendable, Hashable, Decodable {
    public var symbol: String
    public var incomeType: String
    /// Signed: negative = paid.
    public var income: String
    public var asset: String
    public var info: String?
    public var time: Int64
    public var tranId: FlexibleInt64
    public var tradeId: FlexibleString?

    /// Income kinds; unknown values are kept as `.other`.
    public enum Kind: Sendable, Hashable {
        case transfer, realizedPnL, fundingFee, commission, insuranceClear
        case other(String)
    }

    public var kind: Kind {
        switch incomeType {
        case "TRANSFER": .transfer
        case "REALIZED_PNL": .realizedPnL
        case "FUNDING_FEE": .fundingFee
        case "COMMISSION": .commission
        case "INSURANCE_CLEAR": .insuranceClear
        default: .other(incomeType)
        }
    }

    public var amount: Money {
        get throws(BinanceDecodingError) { try Field.decimal(income, "income", "income.\(tranId.value)") }
    }

    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [BinanceIncome] {
        try BinanceJSON.decode(body, context: "GET /fapi/v1/income")
    }
}

/// `GET /fapi/v1/positionSide/dual`: true = hedge mode.
public struct BinancePositionMode: Sendable, Hashable, Decodable {
    public var dualSidePosition: Bool
}

/// How the account holds positions: one position per symbol (one-way, the only mode we trade)
/// or a long and a short side per symbol (hedge, `dualSidePosition`).
public enum PositionMode: String, Sendable, Hashable {
    case oneWay = "one-way"
    case hedge
}

/// `POST /fapi/v1/leverage`.
public struct BinanceLeverageChange: Sendable, Hashable, Decodable {
    public var leverage: Int
    public var maxNotionalValue: String
    public var symbol: String
}

/// `POST /fapi/v1/listenKey` / `PUT`.
public struct BinanceListenKey: Sendable, Hashable, Decodable {
    public var listenKey: String
}
