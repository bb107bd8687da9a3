import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel
import Backtest

/// The venue's own limits, against a client that ignores them (requests made by hand): the
/// answers a careless bot gets from Binance.
@Suite("Local venue: weight and order-count limits answered like Binance")
struct VenueLimitEnforcementTests {
    let clock = ManualClock(VenueHarness.start)

    func signed(_ method: HTTPMethod, _ path: String, _ parameters: QueryString = QueryString()) throws -> VenueRequest {
        let rest = BinanceRESTClient(transport: UnusedTransport(), credentials: BinanceCredentials(apiKey: VenueHarness.apiKey, hmacSecret: VenueHarness.secret),
                                     clock: clock, logger: VenueHarness.quiet)
        let built = try rest.buildRequest(method, path, parameters, security: .signed)
        return VenueRequest(method: built.method.rawValue, path: built.path, rawQuery: built.query, rawBody: "", apiKey: built.headers["X-MBX-APIKEY"])
    }

    /// 12 `positionRisk` reads of weight 5 fill a 60-weight minute (`X-MBX-USED-WEIGHT-1M` counts
    /// them); the 13th is answered 429 `-1003` with `Retry-After` to the minute's end and not
    /// executed; a weighted request inside that back-off bans the IP (418, ban end in the
    /// message); the ban ends; a new minute has a fresh budget.
    @Test func weightLimitThen429ThenABanForAClientThatKeepsSending() throws {
        let controller = VenueHarness.controller(prices: ["50000", "50100"], rateLimits: VenueRateLimits(weightPerMinute: 60, firstBan: .seconds(120)))
        for index in 1...12 {
            let reply = controller.respond(try signed(.get, "/fapi/v3/positionRisk"))
            #expect(reply.status == 200 && reply.headers["X-MBX-USED-WEIGHT-1M"] == String(index * 5))
        }
        let limited = controller.respond(try signed(.get, "/fapi/v3/positionRisk"))
        #expect(limited.status == 429 && limited.headers["Retry-After"] == "60")
        #expect(BinanceAPIError.parse(Array(limited.body.text.utf8))?.code == -1003)
        // Weightless order placements are not IP-limited: a reduce-only close would still be served.
        var close = QueryString()
        for (name, value) in [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.010"), ("reduceOnly", "true")] {
            close.append(name, value)
        }
        #expect(controller.respond(try signed(.post, "/fapi/v1/order", close)).status != 429)
        let banned = controller.respond(try signed(.get, "/fapi/v3/account"))
        #expect(banned.status == 418)
        #expect(BinanceAPIError.parse(Array(banned.body.text.utf8))?.bannedUntil == VenueHarness.start.advanced(by: .seconds(120)))
        #expect(controller.observation.requestsDuringBackOff == 1)
        controller.advance(by: .seconds(120))
        clock.set(controller.now)
        #expect(controller.respond(try signed(.get, "/fapi/v3/account")).status == 200)
    }

    /// New orders count on the 10 s window (`X-MBX-ORDER-COUNT-10S`/`-1M` on each accepted
    /// order); past the limit: 429 `-1015`, not executed, until the window ends.
    @Test func orderCountLimitAnswers1015UntilTheWindowEnds() throws {
        let controller = VenueHarness.controller(prices: ["50000", "50100"], rateLimits: VenueRateLimits(ordersPerTenSeconds: 3))
        func limitBuy(_ id: String) throws -> VenueRequest {
            var order = QueryString()
            for (name, value) in [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.010"),
                                  ("price", "40000.0"), ("newClientOrderId", id)] {
                order.append(name, value)
            }
            return try signed(.post, "/fapi/v1/order", order)
        }
        for index in 1...3 {
            let reply = controller.respond(try limitBuy("qt-lim-\(index)-en"))
            #expect(reply.status == 200 && reply.headers["X-MBX-ORDER-COUNT-10S"] == String(index) && reply.headers["X-MBX-ORDER-COUNT-1M"] == String(index))
        }
        let refused = controller.respond(try limitBuy("qt-lim-4-en"))
        #expect(refused.status == 429 && BinanceAPIError.parse(Array(refused.body.text.utf8))?.code == -1015)
        #expect(controller.inspect { $0.exchange.openOrders.count } == 3)
        controller.advance(by: .seconds(10))
        clock.set(controller.now)
        #expect(controller.respond(try limitBuy("qt-lim-5-en")).status == 200)
    }
}
