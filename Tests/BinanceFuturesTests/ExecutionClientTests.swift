import BinanceFutures
import Testing
import TradingEngine
import TradingModel

@Suite("Execution client")
struct ExecutionClientTests {
    let entryID = ClientOrderID("qt-r1-1-en")!

    static func orderJSON(_ id: String, status: String, executed: String = "0", average: String = "0") -> String {
        #"{"orderId":9001,"symbol":"ATOMUSDT","status":"\#(status)","clientOrderId":"\#(id)","price":"0","avgPrice":"\#(average)","origQty":"12.50","executedQty":"\#(executed)","cumQuote":"0","timeInForce":"GTC","type":"MARKET","reduceOnly":false,"closePosition":false,"side":"BUY","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE","priceProtect":false,"origType":"MARKET","updateTime":1700000000500}"#
    }

    func marketBuy() -> OrderRequest {
        OrderRequest(clientOrderID: entryID, symbol: "ATOMUSDT", side: .buy, type: .market, quantity: Quantity("12.5")!)
    }

    @Test func marketOrderIsSignedAndFormattedOnTheStep() async throws {
        let (client, transport, _, _, _) = makeClient([ok(Self.orderJSON("qt-r1-1-en", status: "FILLED", executed: "12.50", average: "9.871"))])
        let snapshot = try await client.submit(marketBuy())
        #expect(snapshot.status == .filled && snapshot.filledQuantity == Quantity("12.5")! && snapshot.averagePrice == Price("9.871")!)
        let request = try #require(transport.requests.first)
        #expect(request.method == .post && request.path == "/fapi/v1/order")
        #expect(pairs(request.query).map(\.0) == ["symbol", "side", "type", "quantity", "newClientOrderId", "newOrderRespType", "recvWindow", "timestamp", "signature"])
        #expect(parameter("quantity", in: request) == "12.50")  // step 0.01 → exactly 2 decimals
    }

    @Test func limitOrderPriceUsesTickDecimals() async throws {
        let (client, transport, _, _, _) = makeClient([ok(Self.orderJSON("qt-r1-2-en", status: "NEW"))])
        let order = OrderRequest(clientOrderID: ClientOrderID("qt-r1-2-en")!, symbol: "ATOMUSDT", side: .buy, type: .limit,
                                 quantity: Quantity(units: 3), price: Price("9.9")!, timeInForce: .postOnly)
        _ = try await client.submit(order)
        let request = try #require(transport.requests.first)
        #expect(parameter("price", in: request) == "9.900" && parameter("quantity", in: request) == "3.00")
        #expect(parameter("timeInForce", in: request) == "GTX")
    }

    @Test func offGridValuesAreRefusedBeforeSending() async throws {
        let (client, transport, _, _, _) = makeClient([])
        let order = OrderRequest(clientOrderID: entryID, symbol: "ATOMUSDT", side: .buy, type: .limit, quantity: Quantity("1.005")!, price: Price(units: 9))
        do {
            _ = try await client.submit(order)
            Issue.record("off-grid quantity was accepted")
        } catch {
            guard case .rejected(let rejection) = error.kind else { Issue.record("wrong kind \(error.kind)"); return }
            #expect(rejection.reason == .precision)
        }
        #expect(transport.requests.isEmpty)
    }

    /// Conditional orders go to the Algo Order API (so -4120 cannot happen) with triggerPrice, clientAlgoId, workingType.
    @Test func stopLossGoesToTheAlgoEndpoint() async throws {
        let algoJSON = #"{"algoId":77,"clientAlgoId":"qt-r1-3-sl","algoType":"CONDITIONAL","orderType":"STOP_MARKET","symbol":"ATOMUSDT","side":"SELL","positionSide":"BOTH","timeInForce":"GTC","quantity":"0","algoStatus":"NEW","triggerPrice":"9.512","price":"0","workingType":"MARK_PRICE","closePosition":true,"priceProtect":false,"reduceOnly":false,"createTime":1700000000000,"updateTime":1700000000000,"triggerTime":0}"#
        let (client, transport, _, _, _) = makeClient([ok(algoJSON), ok(#"{"algoId":77,"clientAlgoId":"qt-r1-3-sl","code":"200","msg":"success"}"#)])
        let stopID = ClientOrderID("qt-r1-3-sl")!
        let stop = OrderRequest(clientOrderID: stopID, symbol: "ATOMUSDT", side: .sell, type: .stopMarket, quantity: nil,
                                triggerPrice: Price("9.512")!, triggerSource: .markPrice, closePosition: true)
        let snapshot = try await client.submit(stop)
        #expect(snapshot.status == .new && snapshot.request.closePosition && snapshot.venueOrderID == "algo:77")
        let request = try #require(transport.requests.first)
        #expect(request.path == "/fapi/v1/algoOrder" && request.method == .post)
        #expect(!transport.requests.contains { $0.path == "/fapi/v1/order" })
        #expect(pairs(request.query).map(\.0) == ["symbol", "side", "algoType", "type", "triggerPrice", "workingType", "closePosition",
                                                  "clientAlgoId", "recvWindow", "timestamp", "signature"])
        #expect(parameter("triggerPrice", in: request) == "9.512" && parameter("workingType", in: request) == "MARK_PRICE")
        #expect(parameter("type", in: request) == "STOP_MARKET" && parameter("clientAlgoId", in: request) == "qt-r1-3-sl")
        // Cancelling it uses the algo endpoint too.
        try await client.cancel(stopID, symbol: "ATOMUSDT")
        #expect(transport.requests[1].path == "/fapi/v1/algoOrder" && transport.requests[1].method == .delete)
    }

    @Test(arguments: [OrderType.stopMarket, .takeProfitMarket])
    func everyConditionalTypeRoutesToAlgo(_ type: OrderType) throws {
        let order = OrderRequest(clientOrderID: entryID, symbol: "ATOMUSDT", side: .sell, type: type, quantity: Quantity(units: 2),
                                 triggerPrice: Price(units: 10), reduceOnly: true)
        let (route, query) = try BinanceOrderEncoder.encode(order, instrument: atomInstrument)
        #expect(route == .algo && route.path == "/fapi/v1/algoOrder")
        #expect(query.value("reduceOnly") == "true" && query.value("quantity") == "2.00" && query.value("triggerPrice") == "10.000")
        #expect(query.value("stopPrice") == nil && query.value("newClientOrderId") == nil)
    }

    /// POST times out → GET order by client id → FILLED → returned; nothing is resent.
    @Test func unknownStatusResolvedByQueryWithoutResend() async throws {
        let (client, transport, _, _, pauses) = makeClient([
            .failure(.timedOut),
            ok(Self.orderJSON("qt-r1-1-en", status: "FILLED", executed: "12.50", average: "9.871")),
        ])
        let snapshot = try await client.submit(marketBuy())
        #expect(snapshot.status == .filled && snapshot.request.clientOrderID == entryID)
        let requests = transport.requests
        #expect(requests.map(\.method) == [.post, .get])
        #expect(requests[1].path == "/fapi/v1/order" && parameter("origClientOrderId", in: requests[1]) == "qt-r1-1-en")
        #expect(requests.filter { $0.method == .post }.count == 1)
        #expect(pauses.recorded.isEmpty)
    }

    /// -1007 → query → -2013 twice (not visible yet) → NEW; one POST only, two pauses.
    @Test func unknownStatusRetriesTheQueryOnNoSuchOrder() async throws {
        let (client, transport, _, _, pauses) = makeClient([
            failure(400, code: -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown."),
            failure(400, code: -2013, "Order does not exist."),
            failure(400, code: -2013, "Order does not exist."),
            ok(Self.orderJSON("qt-r1-1-en", status: "NEW")),
        ])
        let snapshot = try await client.submit(marketBuy())
        #expect(snapshot.status == .new)
        #expect(transport.requests.map(\.method) == [.post, .get, .get, .get])
        #expect(pauses.recorded == [.milliseconds(500), .milliseconds(500)])
    }

    /// Never visible → still unknown (no resend, no "not placed" guess).
    @Test func unresolvedStatusStaysUnknown() async throws {
        let (client, transport, _, _, _) = makeClient([
            failure(503, code: -1000, "Unknown error, please check your request or try again later."),
            failure(400, code: -2013, "Order does not exist."), failure(400, code: -2013, "Order does not exist."),
        ], attempts: 2)
        do {
            _ = try await client.submit(marketBuy())
            Issue.record("expected unknown status")
        } catch {
            #expect(error.kind == .unknownStatus)
        }
        #expect(transport.requests.filter { $0.method == .post }.count == 1)
    }

    /// The status query of an order whose outcome is unknown fails: rate-limited (429), an
    /// unreadable answer (configuration), a venue-side transient. None of them proves the order
    /// was never placed: it stays unknown, and nothing is resent.
    @Test(arguments: [
        failure(429, code: -1003, "Too many requests.", headers: [("Retry-After", "30")]),
        ok(#"{"unexpected":"shape"}"#),
        failure(400, code: -1022, "Signature for this request is not valid."),
        failure(503, code: -1008, "Service Unavailable."),
    ])
    func aFailedStatusQueryKeepsTheOrderUnknown(_ queryAnswer: Result<HTTPResponseData, HTTPTransportError>) async throws {
        let (client, transport, _, _, _) = makeClient([.failure(.timedOut), queryAnswer, queryAnswer], attempts: 2)
        let error = await #expect(throws: ExecutionError.self) { try await client.submit(marketBuy()) }
        #expect(error?.kind == .unknownStatus)
        #expect(transport.requests.filter { $0.method == .post }.count == 1)
    }

    /// -4116 duplicate client id → the order is probably placed → query it.
    @Test func duplicateClientIDIsResolvedByQuery() async throws {
        let (client, transport, _, _, _) = makeClient([
            failure(400, code: -4116, "ClientOrderId is duplicated."),
            ok(Self.orderJSON("qt-r1-1-en", status: "PARTIALLY_FILLED", executed: "5.00", average: "9.87")),
        ])
        let snapshot = try await client.submit(marketBuy())
        #expect(snapshot.status == .partiallyFilled && snapshot.filledQuantity == Quantity(units: 5))
        #expect(transport.requests.map(\.method) == [.post, .get])
    }

    /// An algo POST that times out is resolved on the algo endpoint by clientAlgoId.
    @Test func unknownAlgoOrderIsQueriedOnTheAlgoEndpoint() async throws {
        let (client, transport, _, _, _) = makeClient([.failure(.connectionLost("reset")), try okFixture("rest_algo_order_response_new.json")])
        let takeProfit = OrderRequest(clientOrderID: ClientOrderID("6B2I9XVcJpCjqPAJ4YoFX7")!, symbol: "ATOMUSDT", side: .sell,
                                      type: .takeProfitMarket, quantity: Quantity("0.01")!, triggerPrice: Price(units: 750), reduceOnly: true)
        let snapshot = try await client.submit(takeProfit)
        #expect(snapshot.status == .new && snapshot.venueOrderID == "algo:2146760")
        #expect(transport.requests.map(\.path) == ["/fapi/v1/algoOrder", "/fapi/v1/algoOrder"])
        #expect(transport.requests.map(\.method) == [.post, .get])
        #expect(parameter("clientAlgoId", in: transport.requests[1]) == "6B2I9XVcJpCjqPAJ4YoFX7")
    }

    @Test func finalRejectionIsNotQueried() async throws {
        let (client, transport, _, _, _) = makeClient([failure(400, code: -2019, "Margin is insufficient.")])
        do {
            _ = try await client.submit(marketBuy())
            Issue.record("expected a rejection")
        } catch {
            #expect(error.kind == .rejected(OrderRejection(.insufficientMargin, code: -2019, message: "Margin is insufficient.")))
        }
        #expect(transport.requests.count == 1)
    }

    @Test func hedgeModeIsRefusedAtStartUp() async throws {
        let (client, _, _, logs, _) = makeClient([try okFixture("rest_account_position_side_dual.json")])
        do {
            try await client.verifyOneWayPositionMode()
            Issue.record("hedge mode accepted")
        } catch {
            #expect(error.kind == .configuration && error.message.contains("hedge mode") && error.message.contains("one-way"))
        }
        #expect(logs.lines.contains { $0.contains("binance.hedge_mode_refused") })
        let (oneWay, _, _, _, _) = makeClient([ok(#"{"dualSidePosition":false}"#)])
        try await oneWay.verifyOneWayPositionMode()
    }

    @Test func openOrdersIncludeAlgoOrdersAndQueryFallsBackToAlgo() async throws {
        let (client, transport, _, _, _) = makeClient([
            ok("[\(Self.orderJSON("qt-r1-1-en", status: "NEW"))]"),
            ok("[\(String(decoding: try fixture("rest_algo_order_response_new.json"), as: UTF8.self))]"),
        ])
        let open = try await client.openOrders(symbol: "ATOMUSDT")
        #expect(open.map(\.request.clientOrderID.value) == ["qt-r1-1-en", "6B2I9XVcJpCjqPAJ4YoFX7"])
        #expect(transport.requests.map(\.path) == ["/fapi/v1/openOrders", "/fapi/v1/openAlgoOrders"])

        // An id never seen by this process: regular query says -2013, the algo query finds it.
        let (fresh, freshTransport, _, _, _) = makeClient([failure(400, code: -2013, "Order does not exist."), try okFixture("rest_algo_order_query.json")])
        let snapshot = try await fresh.order(ClientOrderID("6B2I9XVcJpCjqPAJ4YoFX7")!, symbol: "BNBUSDT")
        #expect(snapshot.status == .canceled && freshTransport.requests.map(\.path) == ["/fapi/v1/order", "/fapi/v1/algoOrder"])
    }

    @Test func positionsUseTheLeverageWeSet() async throws {
        let (client, transport, _, _, _) = makeClient([try okFixture("rest_leverage_change.json"), try okFixture("rest_positionRisk_v3.json")])
        try await client.setLeverage(21, symbol: "ADAUSDT")
        #expect(parameter("leverage", in: transport.requests[0]) == "21")
        let positions = try await client.positions()
        #expect(positions.count == 1 && positions[0].symbol == "ADAUSDT")
        #expect(transport.requests[1].path == "/fapi/v3/positionRisk")
    }

    @Test func isolatedMarginAlreadySetIsSuccess() async throws {
        let (client, transport, _, _, _) = makeClient([failure(400, code: -4046, "No need to change margin type.")])
        try await client.setIsolatedMargin(symbol: "ATOMUSDT")
        #expect(parameter("marginType", in: transport.requests[0]) == "ISOLATED")
    }
}
