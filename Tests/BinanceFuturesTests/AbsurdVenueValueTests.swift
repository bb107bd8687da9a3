import Synchronization
import BinanceFutures
import Logging
import Testing
import TradingEngine
import TradingModel
import Foundation

/// Nonsense from the venue (zero or negative prices, an entry price of 0 on an open position,
/// numbers no market has, times outside any plausible range, a `Retry-After` of years) is refused
/// where it enters: a typed `BinanceDecodingError` naming the field, never a value that can trap
/// the engine later, never a trap in the parser.
@Suite("No trap on absurd venue values")
struct AbsurdVenueValueTests {
    static let received = Timestamp(milliseconds: 1_770_000_000_000)

    static func order(x: String = "TRADE", q: String = "1", l: String = "1", L: String = "100", E: String = "1700000000100") -> String {
        #"{"e":"ORDER_TRADE_UPDATE","E":\#(E),"T":1700000000099,"o":{"s":"ATOMUSDT","c":"qt-r1-7-sl","S":"SELL","o":"MARKET","q":"\#(q)","ap":"\#(L)","x":"\#(x)","X":"FILLED","i":555,"l":"\#(l)","z":"\#(l)","L":"\#(L)","N":"USDT","n":"0.01","T":1700000000098,"t":42,"m":false,"R":true,"rp":"0"}}"#
    }

    static func account(pa: String, ep: String, wb: String = "100") -> String {
        #"{"e":"ACCOUNT_UPDATE","T":1700000000000,"E":1700000000000,"a":{"m":"ORDER","B":[{"a":"USDT","wb":"\#(wb)","cw":"1"}],"P":[{"s":"ATOMUSDT","pa":"\#(pa)","ep":"\#(ep)","up":"0","mt":"isolated","iw":"1","ps":"BOTH"}]}}"#
    }

    static let absurdUserData: [String] = [
        order(L: "0"),                                        // a fill at price 0
        order(L: "-9.8"),                                     // a fill at a negative price
        order(l: "0"),                                        // a fill of nothing
        order(l: "-1"),                                       // a negative fill
        order(l: "9000000000", L: "50000"),                   // a notional no account has (4.5e14 USDT)
        order(q: "-3"),                                       // a negative order quantity
        order(E: "-9223372036854775808"),                     // an event time before any market
        account(pa: "0.5", ep: "0"),                          // an open position with an entry price of 0
        account(pa: "0.5", ep: "-2"),                         // a negative entry price
        account(pa: "90000000000", ep: "1"),                  // a position size no market has
        account(pa: "0", ep: "0", wb: "-90000000000"),        // a wallet beyond any account
    ]

    @Test(arguments: absurdUserData)
    func absurdUserDataIsRefusedAtTheParser(_ json: String) {
        #expect(throws: BinanceDecodingError.self) { try BinanceUserDataParser.parse(Array(json.utf8), receivedAt: Self.received) }
    }

    static let absurdMarket: [String] = [
        #"{"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"0","i":"1","r":"0.0001","T":1700028800000}"#,
        #"{"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"-50000","i":"1","r":"0.0001","T":1700028800000}"#,
        #"{"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"50000000000","i":"1","r":"0.0001","T":1700028800000}"#,
        #"{"e":"markPriceUpdate","E":-1,"s":"BTCUSDT","p":"50000","i":"1","r":"0.0001","T":1700028800000}"#,
        #"{"e":"aggTrade","E":1700000000000,"s":"BTCUSDT","a":1,"p":"0","q":"1","f":1,"l":1,"T":1700000000000,"m":true}"#,
        #"{"e":"aggTrade","E":1700000000000,"s":"BTCUSDT","a":1,"p":"50000","q":"-1","f":1,"l":1,"T":1700000000000,"m":true}"#,
        #"{"e":"aggTrade","E":1700000000000,"s":"BTCUSDT","a":1,"p":"50000","q":"1","f":1,"l":1,"T":9223372036854775807,"m":true}"#,
        #"{"e":"kline","E":1700000000000,"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"1m","o":"0","c":"1","h":"1","l":"1","v":"1","n":1,"x":true,"q":"1","V":"1"}}"#,
        #"{"e":"kline","E":1700000000000,"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"1m","o":"2","c":"2","h":"1","l":"3","v":"1","n":1,"x":true,"q":"1","V":"1"}}"#,
        #"{"e":"kline","E":1700000000000,"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"9999999999999999999m","o":"1","c":"1","h":"1","l":"1","v":"1","n":1,"x":true}}"#,
        #"{"e":"kline","E":1700000000000,"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"999999999999999w","o":"1","c":"1","h":"1","l":"1","v":"1","n":1,"x":true}}"#,
        #"{"e":"kline","E":1700000000000,"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"1m","o":"1","c":"1","h":"1","l":"1","v":"1","n":-5,"x":true}}"#,
    ]

    @Test(arguments: absurdMarket)
    func absurdMarketMessagesAreRefusedAtTheParser(_ json: String) {
        #expect(throws: BinanceDecodingError.self) { try BinanceMarketStreamParser.parse(Array(json.utf8), receivedAt: Self.received) }
    }

    @Test func anOpenPositionWithAnEntryPriceOfZeroIsRefused() throws {
        let rows = try BinancePositionRisk.parse(Array(#"[{"symbol":"ADAUSDT","positionSide":"BOTH","positionAmt":"30","entryPrice":"0.0","markPrice":"0.41","liquidationPrice":"0","notional":"12.3","positionInitialMargin":"0.6","updateTime":1720736417660}]"#.utf8))
        #expect(throws: BinanceDecodingError.self) { try rows[0].snapshot() }
        let leverage = try BinancePositionRisk.parse(Array(#"[{"symbol":"ADAUSDT","positionAmt":"30","entryPrice":"0.385","leverage":"99999999999","updateTime":1720736417660}]"#.utf8))
        #expect(throws: BinanceDecodingError.self) { try leverage[0].snapshot() }
    }

    @Test func leverageBracketsWithoutTiersOrWithZeroLeverageAreRefused() throws {
        let empty = try BinanceLeverageBrackets.parse(Array(#"[{"symbol":"BTCUSDT","brackets":[]}]"#.utf8))
        #expect(throws: BinanceDecodingError.self) { try empty[0].marginBrackets() }
        let zero = try BinanceLeverageBrackets.parse(Array(#"[{"symbol":"BTCUSDT","brackets":[{"bracket":1,"initialLeverage":0,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0}]}]"#.utf8))
        #expect(throws: BinanceDecodingError.self) { try zero[0].marginBrackets() }
    }

    @Test func exchangeInfoWithNonsenseFiltersIsRefused() throws {
        func info(_ filters: String, pricePrecision: Int = 2) -> String {
            #"{"rateLimits":[],"symbols":[{"symbol":"BTCUSDT","contractType":"PERPETUAL","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","pricePrecision":\#(pricePrecision),"quantityPrecision":3,"filters":[\#(filters)]}]}"#
        }
        let good = #"{"filterType":"PRICE_FILTER","maxPrice":"4529764","minPrice":"556.80","tickSize":"0.10"},{"filterType":"LOT_SIZE","maxQty":"1000","minQty":"0.001","stepSize":"0.001"},{"filterType":"MIN_NOTIONAL","notional":"100"}"#
        let brackets = [MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 50_000), maintenanceMarginRate: Rate("0.004")!,
                                      maintenanceAmount: .zero, maxLeverage: 125)]
        _ = try BinanceExchangeInfo.parse(Array(info(good).utf8)).instrument("BTCUSDT", brackets: brackets)
        let absurd = [
            info(good.replacingOccurrences(of: #""maxQty":"1000""#, with: #""maxQty":"-1000""#)),
            info(good.replacingOccurrences(of: #""minPrice":"556.80""#, with: #""minPrice":"-556.80""#)),
            info(good.replacingOccurrences(of: #""notional":"100""#, with: #""notional":"-100""#)),
            info(good.replacingOccurrences(of: #""maxPrice":"4529764""#, with: #""maxPrice":"90000000000""#)),
            info(good, pricePrecision: 99),
        ]
        for text in absurd {
            #expect(throws: BinanceDecodingError.self) { try BinanceExchangeInfo.parse(Array(text.utf8)).instrument("BTCUSDT", brackets: brackets) }
        }
    }

    /// A `Retry-After` of years (or a ban "until" the year 30000) costs a bounded wait, not a trap
    /// and not a client that never speaks again.
    @Test(arguments: [("Retry-After", "99999999999999"), ("Retry-After", "-5"), ("Retry-After", "soon")])
    func absurdRetryAfterGivesABoundedWait(_ header: (String, String)) async throws {
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        let transport = ScriptedTransport([failure(429, code: -1003, "Too many requests.", headers: [header])])
        let rest = BinanceRESTClient(transport: transport, credentials: nil, clock: clock,
                                     logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            _ = try await rest.send(.get, "/fapi/v1/exchangeInfo", security: .none)
            Issue.record("expected a rate-limit error")
        } catch {
            guard case .rateLimited(let wait?) = error.kind else { Issue.record("not rate limited: \(error)"); return }
            #expect(wait > .zero && wait <= .seconds(300))
        }
    }

    @Test func aBanUntilTheYear30000GivesABoundedWait() async throws {
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        let transport = ScriptedTransport([failure(418, code: -1003, "Way too many requests; IP(***) banned until 884541340800000.")])
        let rest = BinanceRESTClient(transport: transport, credentials: nil, clock: clock,
                                     logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            _ = try await rest.send(.get, "/fapi/v1/exchangeInfo", security: .none)
            Issue.record("expected a rate-limit error")
        } catch {
            guard case .rateLimited(let wait?) = error.kind else { Issue.record("not rate limited: \(error)"); return }
            #expect(wait > .zero && wait <= .seconds(300))
        }
    }

    @Test func aServerTimeOutsideAnyPlausibleRangeIsATypedError() async throws {
        for serverTime in ["-9223372036854775808", "9223372036854775807"] {
            let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
            let transport = ScriptedTransport([ok(#"{"serverTime":\#(serverTime)}"#)])
            let rest = BinanceRESTClient(transport: transport, credentials: nil, clock: clock,
                                         logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
            await #expect(throws: ExecutionError.self) { try await rest.syncServerTime() }
            #expect(rest.serverOffsetMilliseconds == 0)
        }
    }

    /// A user-data message that fails validation is dropped (no engine event), returned as
    /// `.unparseable`, and published on `streamProblems()` for the runtime to treat as a gap.
    @Test func anAbsurdUserDataMessageIsDroppedAndReportedUpward() async throws {
        let (client, _, _, logs, _) = makeClient([])
        let event = client.handleUserDataMessage(Array(Self.account(pa: "0.5", ep: "0").utf8), receivedAt: Self.received)
        guard case .unparseable(let error) = event else { Issue.record("not reported as unparseable: \(event)"); return }
        #expect(error.field == "a.P.0.ep")
        var problems = client.streamProblems().makeAsyncIterator()
        let problem = await problems.next()
        #expect(problem == BinanceStreamProblem(stream: .userData, error: error, receivedAt: Self.received))
        #expect(logs.lines.contains { $0.contains("binance.user_data_unparseable") })
        // Nothing reached the engine: the next event on the stream is the next good message's.
        client.handleUserDataMessage(Array(Self.order().utf8), receivedAt: Self.received)
        var events = client.executionEvents().makeAsyncIterator()
        guard case .filled(let fill)? = await events.next() else { Issue.record("expected the good fill"); return }
        #expect(fill.price == Price(units: 100))
    }

    /// A market message with an absurd value is dropped and reported; the feed keeps going.
    @Test(.timeLimit(.minutes(5))) func anAbsurdMarketMessageIsDroppedAndReportedAndTheFeedGoesOn() async throws {
        let absurd = Array(Self.absurdMarket[0].utf8)
        let good = Array(#"{"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"50000","i":"50001","r":"0.0001","T":1700028800000}"#.utf8)
        let connector = ScriptedConnector([([absurd, good], .close)])
        let problems = ProblemLog()
        let feed = BinanceMarketDataFeed(
            urls: BinanceStreamURLs(base: "ws://127.0.0.1:9"), connector: connector, clock: ManualClock(Self.received), seed: 1,
            logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }),
            sleep: { _ in await suspendUntilCancelled(); throw CancellationError() },
            onProblem: { problems.append($0) })
        var iterator = feed.events(symbols: ["BTCUSDT"]).makeAsyncIterator()
        guard case .markPrice(let mark)? = try await iterator.next() else { Issue.record("expected the good mark price"); return }
        #expect(mark.price == Price(units: 50_000))
        #expect(problems.values.map(\.stream) == [.market] && problems.values.first?.error.field == "p")
    }
}

/// Problems reported from the feed's task (lock-protected: `@unchecked Sendable`).
final class ProblemLog: @unchecked Sendable {
    private let lock = Mutex(())
    private var items: [BinanceStreamProblem] = []
    func append(_ problem: BinanceStreamProblem) { lock.withLock { _ in items.append(problem) } }
    var values: [BinanceStreamProblem] { lock.withLock { _ in items } }
}
