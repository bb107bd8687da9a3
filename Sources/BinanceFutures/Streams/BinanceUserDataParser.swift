import TradingModel

/// Parses listenKey-stream payloads (raw or wrapped `{"stream","data"}`).
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
            return .listenKeyExpired(listenKey: raw.listenKey ?? "", time: Timestamp(milliseconds: raw.E.value))
        case "MARGIN_CALL":
            let raw = try payload(RawEventTime.self)
            return .marginCall(time: Timestamp(milliseconds: raw.E.value))
        case "ACCOUNT_CONFIG_UPDATE":
            let raw = try payload(RawAccountConfigUpdate.self)
            let symbol = try raw.ac.map { config throws(BinanceDecodingError) in try Field.symbol(config.s, "ac.s", eventType) }
            let leverage = raw.ac?.l.flatMap { $0 >= 1 && $0 <= 200 ? Int($0) : nil }
            return .accountConfigUpdate(symbol: symbol, leverage: leverage, time: Timestamp(milliseconds: raw.T?.value ?? raw.E.value))
        default:
            return .ignored(eventType)
        }
    }

    static func orderUpdate(_ raw: RawOrderTradeUpdate, receivedAt: Timestamp) throws(BinanceDecodingError) -> BinanceUserDataEvent.OrderUpdate {
        let context = "ORDER_TRADE_UPDATE"
        let o = raw.o
        return BinanceUserDataEvent.OrderUpdate(
            symbol: try Field.symbol(o.s, "o.s", context), clientOrderID: o.c, side: try Field.orderSide(o.S, "o.S", context),
            orderType: o.ot ?? o.o, executionType: o.x, orderStatus: o.X, orderID: o.i,
            quantity: try Field.decimal(o.q, "o.q", context),
            lastFilledQuantity: try Field.optionalDecimal(o.l, "o.l", context) ?? .zero,
            cumulativeFilledQuantity: try Field.optionalDecimal(o.z, "o.z", context) ?? .zero,
            lastFilledPrice: try Field.optionalDecimal(o.L, "o.L", context) ?? .zero,
            averagePrice: try Field.optionalDecimal(o.ap, "o.ap", context) ?? .zero,
            commissionAsset: o.N, commission: try Field.optionalDecimal(o.n, "o.n", context) ?? .zero,
            tradeID: o.t ?? 0, isMaker: o.m ?? false, reduceOnly: o.R ?? false,
            realizedProfit: try Field.optionalDecimal(o.rp, "o.rp", context) ?? .zero,
            tradeTime: Timestamp(milliseconds: o.T ?? raw.T ?? raw.E), eventTime: Timestamp(milliseconds: raw.E),
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
            positions.append(.init(
                symbol: try Field.symbol(position.s, "a.P.\(index).s", context),
                signedQuantity: try Field.decimal(position.pa, "a.P.\(index).pa", context),
                entryPrice: try Field.decimal(position.ep, "a.P.\(index).ep", context),
                unrealizedPnL: try Field.optionalDecimal(position.up, "a.P.\(index).up", context) ?? .zero,
                marginType: position.mt,
                isolatedWallet: try Field.optionalDecimal(position.iw, "a.P.\(index).iw", context),
                positionSide: position.ps ?? "BOTH"))
        }
        return .init(reason: raw.a.m, balances: balances, positions: positions,
                     transactionTime: Timestamp(milliseconds: raw.T ?? raw.E), eventTime: Timestamp(milliseconds: raw.E))
    }

    static func algoUpdate(_ raw: RawAlgoUpdate) throws(BinanceDecodingError) -> BinanceUserDataEvent.AlgoUpdate {
        let context = "ALGO_UPDATE"
        let o = raw.o
        let actual = o.ai?.value ?? ""
        guard actual.isEmpty || Int64(actual) != nil else {
            throw BinanceDecodingError(context: context, field: "o.ai", reason: "not an order id: \"\(actual)\"")
        }
        return .init(
            clientAlgoID: o.caid, algoID: o.aid, orderType: o.o, symbol: try Field.symbol(o.s, "o.s", context),
            side: try Field.orderSide(o.S, "o.S", context), quantity: try Field.nonZeroDecimal(o.q, "o.q", context),
            status: o.X, actualOrderID: Int64(actual).flatMap { $0 > 0 ? $0 : nil },
            averagePrice: try Field.nonZeroDecimal(o.ap, "o.ap", context),
            executedQuantity: try Field.nonZeroDecimal(o.aq, "o.aq", context),
            triggerPrice: try Field.nonZeroDecimal(o.tp, "o.tp", context),
            failureReason: o.rm.flatMap { $0.isEmpty ? nil : $0 },
            transactionTime: Timestamp(milliseconds: raw.T ?? raw.E), eventTime: Timestamp(milliseconds: raw.E))
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
