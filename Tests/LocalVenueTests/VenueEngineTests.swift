import Backtest
import BinanceFutures
import Foundation
import LocalVenue
import Testing
import TradingEngine
import TradingModel

/// The venue without a socket: signing checks, faults and control answered in-process.
@Suite("Local venue: authentication, faults and control in-process")
struct VenueEngineTests {
    let controller = VenueHarness.controller(prices: ["50000", "50100"])
    let clock = ManualClock(VenueHarness.start)

    func rest(secret: String = VenueHarness.secret) -> BinanceRESTClient {
        BinanceRESTClient(transport: UnusedTransport(), credentials: BinanceCredentials(apiKey: VenueHarness.apiKey, hmacSecret: secret),
                          clock: clock, logger: VenueHarness.quiet)
    }

    /// The request exactly as the Binance client would send it.
    func signed(_ method: HTTPMethod, _ path: String, _ parameters: QueryString = QueryString(), secret: String = VenueHarness.secret) throws -> VenueRequest {
        let built = try rest(secret: secret).buildRequest(method, path, parameters, security: .signed)
        return VenueRequest(method: built.method.rawValue, path: built.path, rawQuery: built.query, rawBody: "", apiKey: built.headers["X-MBX-APIKEY"])
    }

    @Test func signatureOfTheRealClientIsAcceptedAndATamperedQueryIsNot() throws {
        var parameters = QueryString()
        parameters.append("symbol", "BTCUSDT")
        let request = try signed(.get, "/fapi/v3/positionRisk", parameters)
        #expect(controller.respond(request).status == 200)
        var tampered = request
        tampered.rawQuery = request.rawQuery.replacingOccurrences(of: "BTCUSDT", with: "ETHUSDT")
        let reply = controller.respond(VenueRequest(method: "GET", path: tampered.path, rawQuery: tampered.rawQuery, rawBody: "", apiKey: VenueHarness.apiKey))
        #expect(reply.status == 400)
        #expect(reply.body.text == #"{"code":-1022,"msg":"Signature for this request is not valid."}"#)
    }

    /// Binance signs query + body concatenated; a signature at the end of the body is accepted.
    @Test func signatureInTheBodyCoversQueryPlusBody() throws {
        var parameters = QueryString()
        parameters.append("symbol", "BTCUSDT")
        parameters.append("leverage", "7")
        let request = try signed(.post, "/fapi/v1/leverage", parameters)
        // totalParams = query + body with nothing in between. Split the signed bytes after the
        // `&`: `symbol=BTCUSDT&` stays in the query, the rest (signature last) goes to the body.
        let cut = request.rawQuery.range(of: "&leverage=")!
        let query = String(request.rawQuery[..<cut.upperBound].dropLast("leverage=".count))
        let body = String(request.rawQuery[request.rawQuery.index(after: cut.lowerBound)...])
        let moved = VenueRequest(method: "POST", path: request.path, rawQuery: query, rawBody: body, apiKey: VenueHarness.apiKey)
        #expect(controller.respond(moved).status == 200)
        #expect(controller.inspect { $0.exchange.leverage[0] } == 7)
        // Dropping the `&` changes the concatenated bytes: the signature no longer matches.
        let naive = VenueRequest(method: "POST", path: request.path, rawQuery: String(query.dropLast()), rawBody: body, apiKey: VenueHarness.apiKey)
        #expect(controller.respond(naive).body.text.contains("-1022"))
    }

    @Test func missingOrUnknownAPIKeyIsRefusedWith401() {
        let none = controller.respond(VenueRequest(method: "POST", path: "/fapi/v1/listenKey", rawQuery: "", rawBody: "", apiKey: nil))
        #expect(none.status == 401)
        #expect(none.body.text.contains("-2014"))
        let unknown = controller.respond(VenueRequest(method: "POST", path: "/fapi/v1/listenKey", rawQuery: "", rawBody: "", apiKey: "other"))
        #expect(unknown.status == 401)
        #expect(unknown.body.text.contains("-2015"))
    }

    /// A client that ignores a 429 and sends again inside the back-off gets 418 (and is counted).
    @Test func requestDuringRateLimitBackOffIsBanned() throws {
        controller.inject(.rateLimited(retryAfterSeconds: 5))
        let first = controller.respond(try signed(.get, "/fapi/v3/account"))
        #expect(first.status == 429)
        #expect(first.headers["Retry-After"] == "5")
        let second = controller.respond(try signed(.get, "/fapi/v3/account"))
        #expect(second.status == 418)
        #expect(BinanceAPIError.parse(Array(second.body.text.utf8))?.bannedUntil == VenueHarness.start.advanced(by: .seconds(5)))
        #expect(controller.observation.requestsDuringBackOff == 1)
        controller.advance(by: .seconds(5))
        clock.set(controller.now)
        #expect(controller.respond(try signed(.get, "/fapi/v3/account")).status == 200)
    }

    /// A listen key lives 60 minutes; then `listenKeyExpired` and `PUT` answers -1125.
    @Test func listenKeyExpiresAfterSixtyMinutesWithoutKeepAlive() {
        let create = VenueRequest(method: "POST", path: "/fapi/v1/listenKey", rawQuery: "", rawBody: "", apiKey: VenueHarness.apiKey)
        let created = controller.respond(create)
        #expect(created.status == 200)
        let keepAlive = VenueRequest(method: "PUT", path: "/fapi/v1/listenKey", rawQuery: "", rawBody: "", apiKey: VenueHarness.apiKey)
        controller.advance(by: .seconds(59 * 60))
        #expect(controller.respond(keepAlive).status == 200)  // extended to 59 + 60 min
        controller.advance(by: .seconds(60 * 60))
        let expired = controller.respond(keepAlive)
        #expect(expired.status == 400)
        #expect(expired.body.text.contains("-1125"))
    }

    /// Faults apply only to matching requests and only as many times as scripted.
    @Test func faultsMatchMethodAndPathAndRunOut() throws {
        controller.inject(.serverError(status: 502, code: -1000, message: "Bad gateway"), method: "GET", path: "/fapi/v3/balance", times: 2)
        #expect(controller.respond(try signed(.get, "/fapi/v3/account")).status == 200)
        #expect(controller.respond(try signed(.get, "/fapi/v3/balance")).status == 502)
        #expect(controller.respond(try signed(.get, "/fapi/v3/balance")).status == 502)
        #expect(controller.respond(try signed(.get, "/fapi/v3/balance")).status == 200)
        #expect(controller.observation.faultsFired == 2)
    }

    /// A candle becomes open, nearer extreme, other extreme, close (which closes the kline).
    @Test func candlePathVisitsTheNearerExtremeFirst() {
        let candle = Candle(openTime: VenueHarness.start, open: Price("100")!, high: Price("110")!, low: Price("98")!, close: Price("105")!,
                            volume: Quantity("3")!)
        let path = PricePath.candles([candle], symbol: VenueHarness.symbol)
        #expect(path.points.map(\.price) == [Price("100")!, Price("98")!, Price("110")!, Price("105")!])
        #expect(path.points.map(\.time.milliseconds) == [0, 20_000, 40_000, 59_999].map { VenueHarness.start.milliseconds + $0 })
        #expect(path.points.map { $0.closedCandle != nil } == [false, false, false, true])
    }

    /// Time only moves by the controller; the end of the path is reported.
    @Test func stepMovesTimeAndPriceUntilThePathEnds() {
        #expect(controller.now == VenueHarness.start)
        #expect(controller.step())
        #expect(controller.now == VenueHarness.start.advanced(by: .seconds(60)))
        #expect(controller.inspect { $0.exchange.lastPrice[0] } == Price("50100")!)
        #expect(!controller.step())
        #expect(controller.remainingPoints == 0)
    }
}

/// The in-process tests never send: the client only builds and signs requests.
struct UnusedTransport: HTTPTransport {
    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        throw .notSent("in-process test")
    }
}
