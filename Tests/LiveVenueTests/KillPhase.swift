import BinanceFutures

/// Where in the trading flow a bot process died, named from the REST request it died at and
/// whether that request reached the venue (`KillSwitchTransport.Moment`).
enum KillPhase {
    /// - Parameters:
    ///   - request: the request the process died at.
    ///   - earlier: the requests it completed before.
    ///   - positionOpen: whether the venue held a position when the process died.
    static func name(of request: HTTPRequestData, moment: KillSwitchTransport.Moment, earlier: [HTTPRequestData], positionOpen: Bool) -> String {
        let text = request.query + "&" + String(decoding: request.body, as: UTF8.self)
        let sent = moment == .afterAnswer
        switch (request.method, request.path) {
        case (.get, "/fapi/v1/time"), (.get, "/fapi/v1/positionSide/dual"), (.get, "/fapi/v1/exchangeInfo"),
             (.get, "/fapi/v1/leverageBracket"), (.post, "/fapi/v1/marginType"):
            return "start-up"
        case (.get, "/fapi/v3/positionRisk"), (.get, "/fapi/v1/openOrders"), (.get, "/fapi/v1/openAlgoOrders"):
            return "reconciliation read"
        case (_, "/fapi/v1/listenKey"):
            return "listen key"
        case (.post, "/fapi/v1/leverage"):
            return "leverage, before the entry"
        case (.post, "/fapi/v1/order") where !text.contains("reduceOnly=true"):
            return sent ? "entry accepted and filled, fill not seen" : "entry about to be sent"
        case (.post, "/fapi/v1/order"):
            return sent ? "reduce-only close executed, answer lost" : "reduce-only close about to be sent"
        case (.post, "/fapi/v1/algoOrder"):
            let isMove = earlier.contains { $0.method == .post && $0.path == "/fapi/v1/algoOrder" }
            if isMove { return sent ? "stop move: new backstop placed, old not cancelled" : "stop move: before the new backstop" }
            return sent ? "backstop placed, before its store write" : "after the entry fill, before the backstop"
        case (.delete, "/fapi/v1/algoOrder"):
            if positionOpen { return sent ? "stop move: old backstop cancelled, answer lost" : "stop move: new placed, before the old's cancel" }
            return sent ? "flat: backstop cancelled, answer lost" : "flat: before the backstop's cancel"
        case (.get, "/fapi/v1/order"), (.get, "/fapi/v1/algoOrder"):
            return "order status query"
        default:
            return "\(request.method.rawValue) \(request.path)"
        }
    }
}
