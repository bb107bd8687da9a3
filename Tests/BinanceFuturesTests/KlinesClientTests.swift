import BinanceFutures
import Logging
import Testing
import TradingEngine
import TradingModel

/// `GET /fapi/v1/klines`: one page, paging over a range, parsing, request weight.
@Suite("REST client: klines")
struct KlinesClientTests {
    let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))

    func client(_ transport: ScriptedTransport) -> BinanceRESTClient {
        BinanceRESTClient(transport: transport, credentials: nil, clock: clock,
                          logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// Handwritten rows in Binance's layout (`rest_klines.json`): 1 m candles opening at `first` + i minutes.
    static func rows(from first: Int64, count: Int, close: (Int) -> String = { "2.\(200 + $0 % 50)" }) -> String {
        let rows = (0..<count).map { index in
            let open = first + Int64(index) * 60_000
            return #"[\#(open),"2.200","2.300","2.100","\#(close(index))","1000.5",\#(open + 59_999),"2200.25",12,"400.5","880.1","0"]"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    @Test("One page: query (symbol, interval, startTime, endTime, limit), unsigned, rows parsed to fixed point")
    func onePage() async throws {
        let transport = ScriptedTransport([ok(Self.rows(from: 1_699_999_800_000, count: 2), headers: [("X-MBX-USED-WEIGHT-1M", "7")])])
        let rest = client(transport)
        let candles = try await rest.klines(symbol: "ATOMUSDT", interval: "1m", length: .seconds(60),
                                            start: Timestamp(milliseconds: 1_699_999_800_000), end: Timestamp(milliseconds: 1_699_999_860_000), limit: 2)
        let request = try #require(transport.requests.first)
        #expect(request.method == .get && request.path == "/fapi/v1/klines")
        #expect(request.query == "symbol=ATOMUSDT&interval=1m&startTime=1699999800000&endTime=1699999860000&limit=2")
        #expect(request.headers["X-MBX-APIKEY"] == nil && parameter("signature", in: request) == nil)
        try #require(candles.count == 2)
        #expect(candles[0].openTime == Timestamp(milliseconds: 1_699_999_800_000) && candles[1].openTime == Timestamp(milliseconds: 1_699_999_860_000))
        #expect(candles[0].open == Price("2.2")! && candles[0].high == Price("2.3")! && candles[0].low == Price("2.1")!)
        #expect(candles[0].close == Price("2.200")! && candles[1].close == Price("2.201")!)
        #expect(candles[0].volume == Quantity("1000.5")! && candles[0].tradeCount == 12)
        #expect(rest.rateLimits.usedWeight(at: clock.now) == 7)
    }

    @Test("Paging: 3500 minutes in pages of 1500 (the next page starts one minute after the last row), weight 10 per page")
    func pagesARange() async throws {
        let start: Int64 = 1_699_700_000_000 - 1_699_700_000_000 % 60_000
        let end = start + 3499 * 60_000
        let transport = ScriptedTransport([
            ok(Self.rows(from: start, count: 1500)),
            ok(Self.rows(from: start + 1500 * 60_000, count: 1500)),
            ok(Self.rows(from: start + 3000 * 60_000, count: 500)),
        ])
        let history = try await client(transport).klineHistory(symbol: "ATOMUSDT", interval: "1m", length: .seconds(60),
                                                               start: Timestamp(milliseconds: start), end: Timestamp(milliseconds: end))
        #expect(transport.requests.map { parameter("startTime", in: $0) }
            == [String(start), String(start + 1500 * 60_000), String(start + 3000 * 60_000)])
        #expect(transport.requests.allSatisfy { parameter("limit", in: $0) == "1500" && parameter("endTime", in: $0) == String(end) })
        #expect(history.candles.count == 3500 && history.requests == 3 && history.weight == 30)
        #expect(history.candles.first?.openTime == Timestamp(milliseconds: start) && history.candles.last?.openTime == Timestamp(milliseconds: end))
        #expect(zip(history.candles, history.candles.dropFirst()).allSatisfy { $1.openTime.milliseconds - $0.openTime.milliseconds == 60_000 })
    }

    @Test("A short page ends the paging (nothing newer); duplicate and out-of-range rows are dropped")
    func shortPageStops() async throws {
        let start: Int64 = 1_699_700_000_000 - 1_699_700_000_000 % 60_000
        let transport = ScriptedTransport([ok(Self.rows(from: start - 60_000, count: 4))])
        let history = try await client(transport).klineHistory(symbol: "ATOMUSDT", interval: "1m", length: .seconds(60),
                                                               start: Timestamp(milliseconds: start), end: Timestamp(milliseconds: start + 120_000),
                                                               pageLimit: 10)
        #expect(transport.requests.count == 1 && history.weight == 1)
        #expect(history.candles.map(\.openTime.milliseconds) == [start, start + 60_000, start + 120_000])
    }

    @Test("Weight by limit: 1 (<100), 2 (<500), 5 (<=1000), 10 (>1000)", arguments: [(99, 1), (100, 2), (499, 2), (500, 5), (1000, 5), (1001, 10), (1500, 10)])
    func weightByLimit(limit: Int, weight: Int) {
        #expect(BinanceRESTClient.klineWeight(limit: limit) == weight)
    }

    @Test("A page that would pass the minute's weight limit is not sent: rateLimited until the next minute")
    func weightBudgetIsRespected() async throws {
        // Used 2395 of 2400 after the first page; the next 1500-row page weighs 10 → 2405 > 2400.
        let start: Int64 = 1_700_000_000_000 - 20 * 60_000
        let transport = ScriptedTransport([ok(Self.rows(from: start, count: 1500), headers: [("X-MBX-USED-WEIGHT-1M", "2395")])])
        let rest = client(transport)
        await #expect {
            _ = try await rest.klineHistory(symbol: "ATOMUSDT", interval: "1m", length: .seconds(60), start: Timestamp(milliseconds: start),
                                            end: Timestamp(milliseconds: start + 2000 * 60_000))
        } throws: { error in
            // 1_700_000_000_000 is 20 s into its minute → 40 s to the next one.
            (error as? ExecutionError)?.kind == .rateLimited(retryAfter: .seconds(40))
        }
        #expect(transport.requests.count == 1)
    }

    @Test("An unreadable row names the row and field")
    func badRow() async throws {
        let transport = ScriptedTransport([ok(#"[[1699999800000,"2.2","2.3","2.1","abc","1",1699999859999,"2",3,"1","2","0"]]"#)])
        await #expect {
            _ = try await client(transport).klines(symbol: "ATOMUSDT", interval: "1m", length: .seconds(60),
                                                   start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 1), limit: 10)
        } throws: { error in
            guard let error = error as? ExecutionError, error.kind == .configuration else { return false }
            return error.message.contains("klines.0") && error.message.contains("close")
        }
    }
}
