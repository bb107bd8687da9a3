import TradingModel

extension VenueEngine {
    /// The REST routes the venue serves, with their security type (digest §2, §4).
    public static let routes: [String: VenueAuthenticator.Security] = [
        "GET /fapi/v1/time": .none,
        "GET /fapi/v1/ping": .none,
        "GET /fapi/v1/exchangeInfo": .none,
        "GET /fapi/v1/klines": .none,
        "GET /fapi/v1/leverageBracket": .signed,
        "POST /fapi/v1/leverage": .signed,
        "POST /fapi/v1/marginType": .signed,
        "GET /fapi/v1/positionSide/dual": .signed,
        "GET /fapi/v1/accountConfig": .signed,
        "POST /fapi/v1/positionSide/dual": .signed,
        "POST /fapi/v1/order": .signed,
        "GET /fapi/v1/order": .signed,
        "DELETE /fapi/v1/order": .signed,
        "GET /fapi/v1/openOrders": .signed,
        "POST /fapi/v1/algoOrder": .signed,
        "GET /fapi/v1/algoOrder": .signed,
        "DELETE /fapi/v1/algoOrder": .signed,
        "GET /fapi/v1/openAlgoOrders": .signed,
        "GET /fapi/v2/positionRisk": .signed,
        "GET /fapi/v3/positionRisk": .signed,
        "GET /fapi/v2/account": .signed,
        "GET /fapi/v3/account": .signed,
        "GET /fapi/v2/balance": .signed,
        "GET /fapi/v3/balance": .signed,
        "GET /fapi/v1/userTrades": .signed,
        "GET /fapi/v1/income": .signed,
        "POST /fapi/v1/listenKey": .apiKey,
        "PUT /fapi/v1/listenKey": .apiKey,
        "DELETE /fapi/v1/listenKey": .apiKey,
    ]

    /// Answers one authenticated REST request.
    public mutating func handle(_ request: VenueRequest) -> VenueReply {
        do {
            return try dispatch(request)
        } catch {
            return .error(error)
        }
    }

    mutating func dispatch(_ request: VenueRequest) throws(VenueError) -> VenueReply {
        switch request.route {
        case "GET /fapi/v1/time": return VenueReply(body: .object([("serverTime", .time(now))]))
        case "GET /fapi/v1/ping": return VenueReply(body: .object([]))
        case "GET /fapi/v1/exchangeInfo": return VenueReply(body: exchangeInfo())
        case "GET /fapi/v1/klines": return VenueReply(body: try klines(request))
        case "GET /fapi/v1/leverageBracket": return VenueReply(body: try leverageBrackets(request))
        case "POST /fapi/v1/leverage": return VenueReply(body: try changeLeverage(request))
        case "POST /fapi/v1/marginType": return VenueReply(body: try changeMarginType(request))
        case "GET /fapi/v1/positionSide/dual": return VenueReply(body: .object([("dualSidePosition", .bool(dualSidePosition))]))
        case "GET /fapi/v1/accountConfig": return VenueReply(body: accountConfig())
        case "POST /fapi/v1/positionSide/dual": return VenueReply(body: try changePositionMode(request))
        case "POST /fapi/v1/order": return VenueReply(body: try newOrder(request))
        case "GET /fapi/v1/order": return VenueReply(body: try findOrder(request).json)
        case "DELETE /fapi/v1/order": return VenueReply(body: try cancelOrder(request))
        case "GET /fapi/v1/openOrders": return VenueReply(body: try openOrders(request))
        case "POST /fapi/v1/algoOrder": return VenueReply(body: try newAlgoOrder(request))
        case "GET /fapi/v1/algoOrder": return VenueReply(body: try findAlgoOrder(request, notFound: .noSuchOrder).json)
        case "DELETE /fapi/v1/algoOrder": return VenueReply(body: try cancelAlgoOrder(request))
        case "GET /fapi/v1/openAlgoOrders": return VenueReply(body: try openAlgoOrders(request))
        case "GET /fapi/v2/positionRisk": return VenueReply(body: try positionRisk(request, version: 2))
        case "GET /fapi/v3/positionRisk": return VenueReply(body: try positionRisk(request, version: 3))
        case "GET /fapi/v2/account", "GET /fapi/v3/account": return VenueReply(body: account())
        case "GET /fapi/v2/balance", "GET /fapi/v3/balance": return VenueReply(body: balances())
        case "GET /fapi/v1/userTrades": return VenueReply(body: try userTrades(request))
        case "GET /fapi/v1/income": return VenueReply(body: incomeRows(request))
        case "POST /fapi/v1/listenKey", "PUT /fapi/v1/listenKey", "DELETE /fapi/v1/listenKey": return listenKey(request)
        default: throw .notFound
        }
    }

    // MARK: Parameter helpers

    static func decimal<T: FixedPointValue>(_ request: VenueRequest, _ name: String) throws(VenueError) -> T? {
        guard let text = request[name] else { return nil }
        guard let value = T(text), !value.isNegative else {
            throw VenueError(code: -1111, message: "Parameter '\(name)' has too much precision or is malformed.")
        }
        return value
    }

    static func flag(_ request: VenueRequest, _ name: String) throws(VenueError) -> Bool {
        switch request[name]?.lowercased() {
        case nil, "false": return false
        case "true": return true
        default: throw .malformed(name)
        }
    }

    static func side(_ request: VenueRequest) throws(VenueError) -> OrderSide {
        guard let text = request["side"] else { throw .missing("side") }
        guard let side = OrderSide(rawValue: text) else { throw VenueError(code: -1117, message: "Invalid side.") }
        return side
    }

    static func clientID(_ text: String?, generated: String) throws(VenueError) -> ClientOrderID {
        guard let id = ClientOrderID(text ?? generated) else {
            throw VenueError(code: -4015, message: "Client order id is not valid.")
        }
        return id
    }
}
