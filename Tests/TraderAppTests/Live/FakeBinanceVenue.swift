import Synchronization
import BinanceFutures
import Foundation
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A Binance USDⓈ-M venue behind the REST transport port: answers start-up, reconciliation,
/// leverage, listen-key and order calls; MARKET orders fill at the mark price the test set
/// (taker fee 0.05%) and their `ORDER_TRADE_UPDATE`s go out on the current user-data
/// connection, algo orders rest and report `ALGO_UPDATE`s. Records every request. No network.
final class FakeBinanceVenue: HTTPTransport, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = Mutex(())
    let connector: PushConnector
    let clock: ManualClock
    let requests = Observed<HTTPRequestData>()
    private var mark = Price("2.224")!
    private var positionQuantity = Quantity.zero  // signed
    private var positionEntry = Price.zero
    private var leverage = 1
    private var algoOrders: [(id: String, side: String, trigger: String, algoID: Int64)] = []
    private var sequence: Int64 = 1000
    private var listenKeys = 0
    /// The account's position mode: true = hedge (dual-side), which the session refuses.
    var hedgeMode = false
    /// The USDT wallet `GET /fapi/v3/balance` reports.
    var walletBalance = "10000"
    /// The close of the 1 m kline opening at a time (nil: that minute is missing), served on
    /// `GET /fapi/v1/klines` for closed minutes only; nil: klines answer HTTP 503.
    private var klineClose: (@Sendable (Timestamp) -> Price?)?
    static let takerFee = Rate("0.0005")!
    static let brackets = #"[{"symbol":"ATOMUSDT","notionalCoef":1.0,"brackets":[{"bracket":1,"initialLeverage":50,"notionalCap":5000,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0.0}]}]"#

    init(connector: PushConnector, clock: ManualClock) {
        self.connector = connector
        self.clock = clock
    }

    func setMark(_ price: Price) { lock.withLock { _ in mark = price } }

    /// Serves 1 m klines whose close at each open time is `close` (open = close, high/low ± 0.5%, truncated to 8 decimals).
    func serveKlines(_ close: (@Sendable (Timestamp) -> Price?)?) { lock.withLock { _ in klineClose = close } }

    /// Closed 1 m klines opening in `[start, end]`, at most `limit`, as Binance's rows. Called under `lock`.
    private func klineRows(start: Int64, end: Int64, limit: Int, now: Int64) -> String? {
        guard let klineClose else { return nil }
        var rows: [String] = []
        var open = start - ((start % 60_000) + 60_000) % 60_000
        if open < start { open += 60_000 }
        while open <= end && open + 60_000 <= now && rows.count < limit {
            if let close = klineClose(Timestamp(milliseconds: open)) {
                let high = Price(raw: close.raw + close.raw / 200)
                let low = Price(raw: close.raw - close.raw / 200)
                rows.append(#"[\#(open),"\#(close)","\#(high)","\#(low)","\#(close)","1000",\#(open + 59_999),"2224",10,"500","1112","0"]"#)
            }
            open += 60_000
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    /// Every request with this method and path, in order.
    func sent(_ method: HTTPMethod, _ path: String) -> [HTTPRequestData] { requests.values.filter { $0.method == method && $0.path == path } }

    static func parameter(_ name: String, in request: HTTPRequestData) -> String? {
        for item in request.query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }

    /// When set, `POST /fapi/v1/order` never answers (and ignores cancellation) until `releaseHungOrders()`.
    func hangOrders() { lock.withLock { _ in ordersHang = true } }
    private var ordersHang = false
    private var hungOrders: [CheckedContinuation<Void, Never>] = []
    /// How many order calls are hanging.
    var hungOrderCount: Int { lock.withLock { _ in hungOrders.count } }
    /// Lets the hanging order calls answer (after the test: their answers come too late).
    func releaseHungOrders() {
        let waiting = lock.withLock { _ -> [CheckedContinuation<Void, Never>] in
            ordersHang = false
            defer { hungOrders = [] }
            return hungOrders
        }
        for continuation in waiting { continuation.resume() }
    }

    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        if request.method == .post && request.path == "/fapi/v1/order" {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let hang = lock.withLock { _ -> Bool in
                    guard ordersHang else { return false }
                    hungOrders.append(continuation)
                    return true
                }
                if !hang { continuation.resume() }
            }
        }
        let (response, pushes) = lock.withLock { _ in answer(request) }
        requests.append(request)
        for push in pushes { connector.send(push, to: .user) }
        return response
    }

    /// The response and the user-data messages it causes. Called under `lock`.
    private func answer(_ request: HTTPRequestData) -> (HTTPResponseData, [String]) {
        let now = clock.now.milliseconds
        func json(_ text: String) -> HTTPResponseData { HTTPResponseData(status: 200, json: text) }
        func value(_ name: String) -> String { Self.parameter(name, in: request) ?? "" }
        switch (request.method, request.path) {
        case (.get, "/fapi/v1/time"): return (json(#"{"serverTime":\#(now)}"#), [])
        case (.get, "/fapi/v1/positionSide/dual"): return (json(#"{"dualSidePosition":\#(hedgeMode)}"#), [])
        case (.get, "/fapi/v1/exchangeInfo"):
            let info = try! Data(contentsOf: URL(fileURLWithPath: BacktestConfigTests.root
                + "/Tests/BinanceFuturesTests/Fixtures/rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"))
            return (HTTPResponseData(status: 200, body: Array(info)), [])
        case (.get, "/fapi/v1/leverageBracket"): return (json(Self.brackets), [])
        case (.get, "/fapi/v3/balance"):
            return (json(#"[{"accountAlias":"fake","asset":"USDT","balance":"\#(walletBalance)","availableBalance":"\#(walletBalance)","updateTime":\#(now)}]"#), [])
        case (.post, "/fapi/v1/marginType"): return (json(#"{"code":200,"msg":"success"}"#), [])
        case (.post, "/fapi/v1/leverage"):
            leverage = Int(value("leverage")) ?? 1
            return (json(#"{"leverage":\#(leverage),"maxNotionalValue":"1000000","symbol":"ATOMUSDT"}"#), [])
        case (.post, "/fapi/v1/listenKey"):
            listenKeys += 1
            return (json(#"{"listenKey":"K\#(listenKeys)"}"#), [])
        case (.put, "/fapi/v1/listenKey"): return (json("{}"), [])
        case (.get, "/fapi/v1/klines"):
            guard let rows = klineRows(start: Int64(value("startTime")) ?? 0, end: Int64(value("endTime")) ?? 0,
                                       limit: Int(value("limit")) ?? 500, now: now)
            else { return (HTTPResponseData(status: 503, json: #"{"code":-1001,"msg":"Internal error; unable to process your request."}"#), []) }
            return (json(rows), [])
        case (.get, "/fapi/v3/positionRisk"):
            guard !positionQuantity.isZero else { return (json("[]"), []) }
            let notional = positionEntry.notional(positionQuantity.magnitude, .nearest)
            return (json(#"[{"symbol":"ATOMUSDT","positionSide":"BOTH","positionAmt":"\#(positionQuantity)","entryPrice":"\#(positionEntry)","#
                + #""markPrice":"\#(mark)","unRealizedProfit":"0","liquidationPrice":"0","isolatedMargin":"0","notional":"\#(notional)","#
                + #""isolatedWallet":"0","initialMargin":"0","maintMargin":"0","positionInitialMargin":"0","updateTime":\#(now)}]"#), [])
        case (.get, "/fapi/v1/openOrders"): return (json("[]"), [])
        case (.get, "/fapi/v1/openAlgoOrders"):
            let rows = algoOrders.map { order in
                #"{"algoId":\#(order.algoID),"clientAlgoId":"\#(order.id)","algoType":"CONDITIONAL","orderType":"STOP_MARKET","symbol":"ATOMUSDT","#
                    + #""side":"\#(order.side)","positionSide":"BOTH","timeInForce":"GTC","quantity":"0","algoStatus":"NEW","triggerPrice":"\#(order.trigger)","#
                    + #""price":"0","workingType":"MARK_PRICE","closePosition":true,"reduceOnly":false,"createTime":\#(now),"updateTime":\#(now)}"#
            }
            return (json("[" + rows.joined(separator: ",") + "]"), [])
        case (.post, "/fapi/v1/order"):
            sequence += 1
            let side = value("side")
            let quantity = Quantity(value("quantity"))!
            let id = value("newClientOrderId")
            let reduceOnly = value("reduceOnly") == "true"
            let fee = mark.notional(quantity, .nearest).times(Self.takerFee, .nearest)
            let signed = side == "BUY" ? quantity : .zero - quantity
            if positionQuantity.isZero { positionEntry = mark }
            positionQuantity = positionQuantity + signed
            let response = #"{"clientOrderId":"\#(id)","cumQty":"0","executedQty":"0","orderId":\#(sequence),"origQty":"\#(quantity)","price":"0","#
                + #""reduceOnly":\#(reduceOnly),"side":"\#(side)","positionSide":"BOTH","status":"NEW","stopPrice":"0","closePosition":false,"#
                + #""symbol":"ATOMUSDT","timeInForce":"GTC","type":"MARKET","origType":"MARKET","updateTime":\#(now),"workingType":"CONTRACT_PRICE"}"#
            func update(_ execution: String, _ status: String, last: String, filled: String, fee: String) -> String {
                #"{"e":"ORDER_TRADE_UPDATE","T":\#(now),"E":\#(now),"o":{"s":"ATOMUSDT","c":"\#(id)","S":"\#(side)","o":"MARKET","f":"GTC","#
                    + #""q":"\#(quantity)","p":"0","ap":"\#(mark)","sp":"0","x":"\#(execution)","X":"\#(status)","i":\#(sequence),"l":"\#(last)","#
                    + #""z":"\#(filled)","L":"\#(mark)","N":"USDT","n":"\#(fee)","T":\#(now),"t":\#(sequence),"m":false,"R":\#(reduceOnly),"#
                    + #""ps":"BOTH","ot":"MARKET","rp":"0"}}"#
            }
            return (json(response), [update("NEW", "NEW", last: "0", filled: "0", fee: "0"),
                                     update("TRADE", "FILLED", last: "\(quantity)", filled: "\(quantity)", fee: "\(fee)")])
        case (.post, "/fapi/v1/algoOrder"):
            sequence += 1
            let order = (id: value("clientAlgoId"), side: value("side"), trigger: value("triggerPrice"), algoID: sequence)
            algoOrders.append(order)
            let response = #"{"algoId":\#(order.algoID),"clientAlgoId":"\#(order.id)","algoType":"CONDITIONAL","orderType":"STOP_MARKET","#
                + #""symbol":"ATOMUSDT","side":"\#(order.side)","positionSide":"BOTH","timeInForce":"GTC","quantity":"0","algoStatus":"NEW","#
                + #""triggerPrice":"\#(order.trigger)","price":"0","workingType":"MARK_PRICE","closePosition":true,"reduceOnly":false,"#
                + #""createTime":\#(now),"updateTime":\#(now)}"#
            return (json(response), [Self.algoUpdate(order.id, algoID: order.algoID, side: order.side, status: "NEW", trigger: order.trigger, now: now)])
        case (.delete, "/fapi/v1/algoOrder"):
            let id = value("clientAlgoId")
            guard let index = algoOrders.firstIndex(where: { $0.id == id }) else {
                return (HTTPResponseData(status: 400, json: #"{"code":-2011,"msg":"Unknown order sent."}"#), [])
            }
            let order = algoOrders.remove(at: index)
            return (json(#"{"algoId":\#(order.algoID),"clientAlgoId":"\#(id)","code":"200","msg":"success"}"#),
                    [Self.algoUpdate(id, algoID: order.algoID, side: order.side, status: "CANCELED", trigger: order.trigger, now: now)])
        default:
            return (HTTPResponseData(status: 400, json: #"{"code":-1100,"msg":"not scripted: \#(request.method.rawValue) \#(request.path)"}"#), [])
        }
    }

    static func algoUpdate(_ id: String, algoID: Int64, side: String, status: String, trigger: String, now: Int64) -> String {
        #"{"e":"ALGO_UPDATE","T":\#(now),"E":\#(now),"o":{"caid":"\#(id)","aid":\#(algoID),"at":"CONDITIONAL","o":"STOP_MARKET","s":"ATOMUSDT","#
            + #""S":"\#(side)","ps":"BOTH","f":"GTC","q":"0","X":"\#(status)","ai":"","ap":"0","aq":"0","tp":"\#(trigger)","p":"0","wt":"MARK_PRICE","#
            + #""cp":true,"R":false,"tt":0,"gtd":0}}"#
    }
}
