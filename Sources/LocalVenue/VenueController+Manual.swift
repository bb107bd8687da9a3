import TradingModel
import Synchronization

/// What a person does on the same account outside the bot: orders placed in the venue's UI,
/// positions in other symbols, prices of symbols that are not on the path. The account is one, so
/// the user-data messages of these orders go to every user stream, as on Binance.
extension VenueController {
    /// An order placed by hand in the venue's UI (no API key, no signature): a MARKET or LIMIT on
    /// `/fapi/v1/order`, or a conditional order on `/fapi/v1/algoOrder` (`type`, `triggerPrice`,
    /// `closePosition`, …). The client id defaults to a `web_` id like Binance's UI gives.
    @discardableResult
    public func placeManualOrder(_ parameters: [String: String], path: String = "/fapi/v1/order") -> VenueReply {
        var parameters = parameters
        let sequence = requests.count + 1
        if path == "/fapi/v1/algoOrder" {
            parameters["algoType"] = parameters["algoType"] ?? "CONDITIONAL"
            parameters["clientAlgoId"] = parameters["clientAlgoId"] ?? "web_stop_\(sequence)"
        } else {
            parameters["newClientOrderId"] = parameters["newClientOrderId"] ?? "web_order_\(sequence)"
        }
        let query = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let request = VenueRequest(method: "POST", path: path, rawQuery: query, rawBody: "", apiKey: nil)
        let reply = lock.withLock { _ in engine.handle(request) }
        deliver()
        return reply
    }

    /// A MARKET order placed by hand: `side` BUY or SELL of `quantity` in `symbol`.
    @discardableResult
    public func placeManualMarketOrder(symbol: Symbol, side: OrderSide, quantity: Quantity) -> VenueReply {
        placeManualOrder(["symbol": symbol.name, "side": side.rawValue, "type": "MARKET", "quantity": "\(quantity)"])
    }

    /// Sets the price of `symbol` at the current venue time (a symbol that is not on the path, so
    /// orders in it can fill); resting orders of `symbol` trigger and fill as at any price point.
    public func setPrice(_ price: Price, symbol: Symbol) {
        lock.withLock { _ in engine.apply(VenuePricePoint(symbol: symbol, time: engine.now, price: price)) }
        deliver()
    }

    /// `canTrade` of the account's configuration (keys without trading permission: false).
    public func setCanTrade(_ canTrade: Bool) { lock.withLock { _ in engine.canTrade = canTrade } }

    /// The account's margin type of `symbol` (`ISOLATED` or `CROSSED`: every symbol starts in
    /// cross margin, as a new Binance account).
    public func marginType(of symbol: Symbol) -> String? { inspect { $0.marginTypes[symbol] } }
}
