import TradingModel

/// Parses listenKey-stream payloads (raw or wrapped `{"stream","data"}`). Values outside
/// `VenueValueLimits` or against their sign rule (a fill at price 0, an open position with an
/// entry price of 0, a negative quantity, a time outside 1970…2200) throw, naming the field.
public enum BinanceUserDataParser {
    public static func parse(_ bytes: [UInt8], receivedAt: Timestamp) throws(BinanceDecodingError) -> BinanceUserDataEvent {
        let peek: StreamPeek = try BinanceJSON.decode(bytes, context: "user data stream")
        let wrapped = peek.data != nil
        guard let eventType = peek.data?.e ?? peek.e else { return .ignored("no event type") }
        func payload<T: Decodable>(_ type: T.Type) throws(BinanceDecodingError) -> T {
            if wrapped {
                let envelope: StreamEnvelope<T> = try BinanceJSON.decode(bytes, context: eventType)
                return envelope.data
            }
            return try BinanceJSON.decode(bytes, context: eventType)
        }
        switch eventType {
        case "ORDER_TRADE_UPDATE": return .orderUpdate(try orderUpdate(payload(RawOrderTradeUpdate.self), receivedAt: receivedAt))
        case "ACCOUNT_UPDATE": return .accountUpdate(try accountUpdate(payload(RawAccountUpdate.self)))
        case "ALGO_UPDATE": return .algoUpdate(try algoUpdate(payload(RawAlgoUpdate.self)))
        case "listenKeyExpired":
            let raw = try payload(RawListenKeyExpired.self)
            return .listenKeyExpired(listenKey: raw.listenKey ?? "", time: try Field.time(raw.E.value, "E", eventType))
        case "MARGIN_CALL":
            let raw = try payload(RawEventTime.self)
            return .marginCall(time: try Field.time(raw.E.value, "E", eventType))
        case "ACCOUNT_CONFIG_UPDATE":
            let raw = try payload(RawAccountConfigUpdate.self)
            let symbol = try raw.ac.map { config throws(BinanceDecodingError) in try Field.symbol(config.s, "ac.s", eventType) }
            let leverage = raw.ac?.l.flatMap { $0 >= 1 && $0 <= 200 ? Int($0) : nil }
            return .accountConfigUpdate(symbol: symbol, leverage: leverage, time: try Field.time(raw.T?.value ?? raw.E.value, raw.T == nil ? "E" : "T", eventType))
        default:
            return .ignored(eventType)
        }
    }

    static func orderUpdate(_ raw: RawOrderTradeUpdate, receivedAt: Timestamp) throws(BinanceDecodingError) -> BinanceUserDataEvent.OrderUpdate {
        let context = "ORDER_TRADE_UPDATE"
        let o = raw.o
        let lastFilledQuantity = try Field.optionalQuantity(o.l, "o.l", context) ?? .zero
        let lastFilledPrice = try Field.optionalPrice(o.L, "o.L", context) ?? .zero
        let averagePrice = try Field.optionalPrice(o.ap, "o.ap", context) ?? .zero
        if o.x == "TRADE" {
            // A fill is a positive quantity at a positive price.
            guard lastFilledQuantity.isPositive else { throw BinanceDecodingError(context: context, field: "o.l", reason: "a fill of \(lastFilledQuantity)") }
            guard lastFilledPrice.isPositive else { throw BinanceDecodingError(context: context, field: "o.L", reason: "a fill at price 0") }
            try Field.checkNotional(lastFilledPrice, lastFilledQuantity, "o.L", context)
        } else if o.x == "CALCULATED", lastFilledPrice.isZero && averagePrice.isZero {
            throw BinanceDecodingError(context: context, field: "o.L", reason: "a liquidation without a price")
        }
        let eventTime = try Field.time(raw.E, "E", context)
        return BinanceUserDataEvent.OrderUpdate(
            symbol: try Field.symbol(o.s, "o.s", context), clientOrderID: o.c, side: try Field.orderSide(o.S, "o.S", context),
            orderType: o.ot ?? o.o, executionType: o.x, orderStatus: o.X, orderID: o.i,
            quantity: try Field.quantity(o.q, "o.q", context),
            lastFilledQuantity: lastFilledQuantity,
            cumulativeFilledQuantity: try Field.optionalQuantity(o.z, "o.z", context) ?? .zero,
            lastFilledPrice: lastFilledPrice,
            averagePrice: averagePrice,
            commissionAsset: o.N, commission: try Field.optionalDecimal(o.n, "o.n", context) ?? .zero,
            tradeID: o.t ?? 0, isMaker: o.m ?? false, reduceOnly: o.R ?? false,
            realizedProfit: try Field.optionalDecimal(o.rp, "o.rp", context) ?? .zero,
            tradeTime: try Field.time(o.T ?? raw.T ?? raw.E, "o.T", context), eventTime: eventTime,
            receiveTime: receivedAt)
    }

    static func accountUpdate(_ raw: RawAccountUpdate) throws(BinanceDecodingError) -> BinanceUserDataEvent.AccountUpdate {
        let context = "ACCOUNT_UPDATE"
        var balances: [BinanceUserDataEvent.AccountUpdate.Balance] = []
        for (index, balance) in (raw.a.B ?? []).enumerated() {
            balances.append(.init(
                asset: balance.a, walletBalance: try Field.decimal(balance.wb, "a.B.\(index).wb", context),
                crossWalletBalance: try Field.optionalDecimal(balance.cw, "a.B.\(index).cw", context),
                balanceChange: try Field.optionalDecimal(balance.bc, "a.B.\(index).bc", context)))
        }
        var positions: [BinanceUserDataEvent.AccountUpdate.PositionEntry] = []
        for (index, position) in (raw.a.P ?? []).enumerated() {
            let amount: Quantity = try Field.decimal(position.pa, "a.P.\(index).pa", context)
            // An open position has a positive entry price; a flat row may carry 0.
            let entryPrice = amount.isZero ? (try Field.optionalPrice(position.ep, "a.P.\(index).ep", context) ?? .zero)
                : try Field.price(position.ep, "a.P.\(index).ep", context)
            try Field.checkNotional(entryPrice, amount.magnitude, "a.P.\(index).ep", context)
            positions.append(.init(
                symbol: try Field.symbol(position.s, "a.P.\(index).s", context),
                signedQuantity: amount,
                entryPrice: entryPrice,
                unrealizedPnL: try Field.optionalDecimal(position.up, "a.P.\(index).up", context) ?? .zero,
                marginType: position.mt,
                isolatedWallet: try Field.optionalDecimal(position.iw, "a.P.\(index).iw", context),
                positionSide: position.ps ?? "BOTH"))
        }
        return .init(reason: raw.a.m, balances: balances, positions: positions,
                     transactionTime: try Field.time(raw.T ?? raw.E, "T", context), eventTime: try Field.time(raw.E, "E", context))
    }

    static func algoUpdate(_ raw: RawAlgoUpdate) throws(BinanceDecodingError) -> BinanceUserDataEvent.AlgoUpdate {
        let context = "ALGO_UPDATE"
        let o = raw.o
        let actual = o.ai?.value ?? ""
        guard actual.isEmpty || Int64(actual) != nil else {
            throw BinanceDecodingError(context: context, field: "o.ai", reason: "not an order id: \"\(actual)\"")
        }
        let quantity = try Field.optionalQuantity(o.q, "o.q", context)
        let executed = try Field.optionalQuantity(o.aq, "o.aq", context)
        return .init(
            clientAlgoID: o.caid, algoID: o.aid, orderType: o.o, symbol: try Field.symbol(o.s, "o.s", context),
            side: try Field.orderSide(o.S, "o.S", context), quantity: quantity?.isZero == true ? nil : quantity,
            status: o.X, actualOrderID: Int64(actual).flatMap { $0 > 0 ? $0 : nil },
            averagePrice: try Field.optionalPrice(o.ap, "o.ap", context),
            executedQuantity: executed?.isZero == true ? nil : executed,
            triggerPrice: try Field.optionalPrice(o.tp, "o.tp", context),
            failureReason: o.rm.flatMap { $0.isEmpty ? nil : $0 },
            transactionTime: try Field.time(raw.T ?? raw.E, "T", context), eventTime: try Field.time(raw.E, "E", context))
    }
}

struct RawOrderTradeUpdate: Decodable {
    struct Order: Decodable {
        var s: String
        var c: String
        var S: String
        var o: String
        var ot: String?
        var q: String
        var ap: String?
        var x: String
        var X: String
        var i: Int64
        var l: String?
        var z: String?
        var L: String?
        var N: String?
        var n: String?
        var T: Int64?
        var t: Int64?
        var m: Bool?
        var R: Bool?
        var rp: String?
    }
    var E: Int64
    var T: Int64?
    var o: Order
}

struct RawAccountUpdate: Decodable {
    struct Balance: Decodable {
        var a: String
        var wb: String
        var cw: String?
        var bc: String?
    }
    struct Position: Decodable {
        var s: String
        var pa: String
        var ep: String
        var up: String?
        var mt: String?
        var iw: String?
        var ps: String?
    }
    struct Update: Decodable {
        var m: String
        var B: [Balance]?
        var P: [Position]?
    }
    var E: Int64
    var T: Int64?
    var a: Update
}

struct RawAlgoUpdate: Decodable {
    struct Order: Decodable {
        var caid: String
        var aid: Int64
        var o: String
        var s: String
        var S: String
        var q: String?
        var X: String
        var ai: FlexibleString?
        var ap: String?
        var aq: String?
        var tp: String?
        var rm: String?
    }
    var E: Int64
    var T: Int64?
    var o: Order
}

struct RawListenKeyExpired: Decodable {
    var E: FlexibleInt64
    var listenKey: String?
}

struct RawEventTime: Decodable {
    var E: FlexibleInt64
}

struct RawAccountConfigUpdate: Decodable {
    struct Config: Decodable {
        var s: String
        var l: Int64?
    }
    var E: FlexibleInt64
    var T: FlexibleInt64?
    var ac: Config?
}
