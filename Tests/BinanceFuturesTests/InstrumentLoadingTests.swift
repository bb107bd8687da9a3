import BinanceFutures
import Testing
import TradingEngine
import TradingModel

@Suite("Instrument loading and cancels")
struct InstrumentLoadingTests {
    static let atomBrackets = #"[{"symbol":"ATOMUSDT","notionalCoef":1.0,"brackets":[{"bracket":1,"initialLeverage":50,"notionalCap":5000,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0.0},{"bracket":2,"initialLeverage":20,"notionalCap":25000,"notionalFloor":5000,"maintMarginRatio":0.025,"cum":75.0}]}]"#

    @Test func loadsInstrumentsWithBracketsAndAdoptsTheWeightLimit() async throws {
        let (client, transport, _, _, _) = makeClient([try okFixture("rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"), ok(Self.atomBrackets)])
        let instruments = try await client.loadInstruments(["ATOMUSDT"])
        let atom = try #require(instruments.first)
        #expect(atom.tickSize == Price("0.001")! && atom.minNotional == Money(units: 5) && atom.marginBrackets.count == 2)
        // 6000 USDT notional falls in tier 2: maintenance = 6000 × 0.025 − 75 = 75
        #expect(atom.bracket(forNotional: Money(units: 6000)).maintenanceMargin(notional: Money(units: 6000)) == Money(units: 75))
        #expect(atom.maxLeverage(forNotional: Money(units: 1000)) == 50)
        #expect(transport.requests.map(\.path) == ["/fapi/v1/exchangeInfo", "/fapi/v1/leverageBracket"])
        #expect(transport.requests[0].headers.isEmpty && parameter("signature", in: transport.requests[1]) != nil)
    }

    @Test func missingBracketsFailClosed() async throws {
        let (client, _, _, _, _) = makeClient([try okFixture("rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"), ok("[]")])
        do {
            _ = try await client.loadInstruments(["ATOMUSDT"])
            Issue.record("instrument without margin tiers accepted")
        } catch {
            #expect(error.kind == .configuration && error.message.contains("ATOMUSDT"))
        }
    }

    /// An id this process never placed (e.g. after a restart): regular cancel says -2011, the algo cancel succeeds.
    @Test func cancelFallsBackToTheAlgoEndpoint() async throws {
        let (client, transport, _, _, _) = makeClient([
            failure(400, code: -2011, "Unknown order sent."),
            try okFixture("rest_algo_order_cancel.json"),
        ])
        try await client.cancel(ClientOrderID("6B2I9XVcJpCjqPAJ4YoFX7")!, symbol: "BNBUSDT")
        #expect(transport.requests.map(\.path) == ["/fapi/v1/order", "/fapi/v1/algoOrder"])
        #expect(transport.requests.map(\.method) == [.delete, .delete])
        #expect(parameter("clientAlgoId", in: transport.requests[1]) == "6B2I9XVcJpCjqPAJ4YoFX7")
    }

    @Test func listenKeyCallsUseTheKeyHeaderWithoutSignature() async throws {
        let (client, transport, _, _, _) = makeClient([try okFixture("rest_listenKey_create.json"), ok("{}")])
        let key = try await client.createListenKey()
        try await client.keepAliveListenKey()
        #expect(key.hasPrefix("pqia91ma19a5s61c"))
        #expect(transport.requests.map(\.method) == [.post, .put])
        #expect(transport.requests.allSatisfy { $0.headers["X-MBX-APIKEY"] == testAPIKey && $0.query.isEmpty })
    }
}
