/// Request weight and order-count cost of the USD-M endpoints this adapter calls (digest §3–§4,
/// each endpoint's page). Order placements weigh 0 on the IP limit and count one order.
public enum BinanceEndpointCost {
    /// The cost of `method path` with `parameters`; `protective` marks a reduce-only close, a
    /// close-position backstop, a cancel, or the status query of one of those.
    public static func cost(_ method: HTTPMethod, _ path: String, _ parameters: QueryString, protective: Bool) -> RequestCost {
        RequestCost(weight: weight(method, path, parameters), orders: isOrderPlacement(method, path) ? 1 : 0, protective: protective)
    }

    static func isOrderPlacement(_ method: HTTPMethod, _ path: String) -> Bool {
        method == .post && (path == "/fapi/v1/order" || path == "/fapi/v1/algoOrder")
    }

    /// IP weight per the endpoint pages; 1 for anything not listed.
    public static func weight(_ method: HTTPMethod, _ path: String, _ parameters: QueryString) -> Int {
        switch (method, path) {
        case (.post, "/fapi/v1/order"), (.post, "/fapi/v1/algoOrder"), (.put, "/fapi/v1/order"): return 0
        case (.get, "/fapi/v1/openOrders"), (.get, "/fapi/v1/openAlgoOrders"): return parameters.value("symbol") == nil ? 40 : 1
        case (.get, "/fapi/v1/klines"): return klineWeight(limit: parameters.value("limit").flatMap { Int($0) } ?? 500)
        case (.get, "/fapi/v2/positionRisk"), (.get, "/fapi/v3/positionRisk"), (.get, "/fapi/v2/account"), (.get, "/fapi/v3/account"),
             (.get, "/fapi/v2/balance"), (.get, "/fapi/v3/balance"), (.get, "/fapi/v1/userTrades"), (.get, "/fapi/v1/accountConfig"):
            return 5
        case (.get, "/fapi/v1/positionSide/dual"), (.get, "/fapi/v1/income"): return 30
        case (.post, "/fapi/v1/batchOrders"): return 5
        default: return 1
        }
    }

    /// The weight of one klines call with `limit` rows: 1 below 100, 2 below 500, 5 up to 1000, 10 above.
    public static func klineWeight(limit: Int) -> Int {
        switch limit {
        case ..<100: 1
        case ..<500: 2
        case ...1000: 5
        default: 10
        }
    }
}
