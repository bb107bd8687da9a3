import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel

/// `GET /fapi/v1/klines` on the local venue: the candles its path closed plus history loaded
/// before the path, read by the real REST client over 127.0.0.1 (a live warm-up's back-fill).
@Suite("Local venue: klines")
struct VenueKlinesTests {
    static func history(_ count: Int) -> [Candle] {
        (0..<count).map { index in
            let price = Price(units: 49_000 + Int64(index))
            return Candle(openTime: Timestamp(milliseconds: VenueHarness.start.milliseconds - Int64(count - index) * 60_000),
                          open: price, high: price, low: price, close: price, volume: Quantity(units: 2))
        }
    }

    @Test("Loaded history + the path's closed candles, paged by the real client (pages of 2), in range only", .timeLimit(.minutes(5)))
    func servedToTheRealClient() async throws {
        try await VenueHarness.run(prices: ["50000", "50100", "49900"]) { harness in
            harness.controller.loadKlineHistory(Self.history(3), symbol: VenueHarness.symbol)
            harness.step(3)
            let start = Timestamp(milliseconds: VenueHarness.start.milliseconds - 2 * 60_000)
            let end = Timestamp(milliseconds: VenueHarness.start.milliseconds + 2 * 60_000)
            let history = try await harness.rest.klineHistory(symbol: VenueHarness.symbol, interval: "1m", length: .seconds(60),
                                                              start: start, end: end, pageLimit: 2)
            // 49001, 49002 (loaded; 49000 is before startTime), then 50000, 50100, 49900 from the path.
            #expect(history.candles.map(\.close) == ["49001", "49002", "50000", "50100", "49900"].map { Price($0)! })
            #expect(history.candles.map(\.openTime.milliseconds) == (-2...2).map { VenueHarness.start.milliseconds + Int64($0) * 60_000 })
            #expect(history.requests == 3)
            let requests = harness.controller.requests.filter { $0.path == "/fapi/v1/klines" }
            #expect(requests.count == 3)
        }
    }

    @Test("Only 1m; a bad limit or an unknown symbol is refused with Binance's codes")
    func refusals() throws {
        let controller = VenueHarness.controller(prices: ["50000"])
        func get(_ query: String) -> VenueReply {
            controller.respond(VenueRequest(method: "GET", path: "/fapi/v1/klines", rawQuery: query, rawBody: "", apiKey: nil))
        }
        #expect(get("symbol=BTCUSDT&interval=5m").body.text.contains("-1120"))
        #expect(get("symbol=BTCUSDT&interval=1m&limit=1501").body.text.contains("-1130"))
        #expect(get("symbol=NOPEUSDT&interval=1m").body.text.contains("-1121"))
        _ = controller.step()
        #expect(get("symbol=BTCUSDT&interval=1m").status == 200)
        #expect(get("symbol=BTCUSDT&interval=1m").body.text.hasPrefix("[[\(VenueHarness.start.milliseconds),\"50000\""))
    }
}
