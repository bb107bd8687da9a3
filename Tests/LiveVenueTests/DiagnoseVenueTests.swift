import AsyncHTTPClient
import BinanceFutures
import Foundation
import LocalVenue
import Storage
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt diagnose --venue` against the local venue through the real Binance adapter: the store of a
/// real live run beside a position opened by hand, stops cancelled and positions closed on the
/// venue behind the store's back, and the venue's bad days (5xx, 429/418, rejected keys, a
/// malformed payload, no answer in time).
@Suite("qt diagnose --venue against the local venue")
struct DiagnoseVenueTests {
    /// Diagnoses the harness's store with the venue; a pause moves the venue's and the client's
    /// clocks on by its length (recorded in `pauses`), so a `Retry-After` is really waited out.
    static func diagnose(_ venue: VenueLiveHarness, credentials: LiveCredentials? = nil, transport: (any HTTPTransport)? = nil,
                         pauses: Box<[Duration]> = Box([])) async throws -> Diagnosis {
        let live = LiveSettings(network: .testnet, restURL: "http://127.0.0.1:\(venue.port)")
        return try await Diagnosis.make(storePath: venue.storePath, options: DiagnoseOptions(), live: live,
                                        credentials: try credentials ?? VenueLiveHarness.credentials, clock: venue.clock,
                                        transport: transport ?? venue.http, logger: VenueLiveHarness.quiet) { delay in
            pauses.update { $0.append(delay) }
            venue.controller.advance(by: delay)
        }
    }

    /// A LINKUSDT long of 10 at 15.000 opened by hand with no stop, marked at 15.300.
    static func openForeignLong(_ venue: VenueLiveHarness) {
        venue.controller.setPrice(Price("15.000")!, symbol: VenueLiveHarness.foreignSymbol)
        #expect(venue.controller.placeManualMarketOrder(symbol: VenueLiveHarness.foreignSymbol, side: .buy, quantity: Quantity(units: 10)).status == 200)
        venue.controller.setPrice(Price("15.300")!, symbol: VenueLiveHarness.foreignSymbol)
    }

    /// A store with one live run and nothing else (the store's sections still print).
    static func liveStore(_ venue: VenueLiveHarness) throws {
        let store = try SQLiteTradeStore(path: venue.storePath)
        _ = try store.beginRun(RunRecord(kind: .live, startedAt: venue.controller.now, configHash: "test", detail: "ema-cross live"))
    }

    static func rules(_ diagnosis: Diagnosis) -> [String] { diagnosis.findings.map(\.rule) }

    @Test("A live run's protected short, a manual long without a stop, then the backstop cancelled and the short closed behind the store's back",
          .timeLimit(.minutes(5)))
    func venuePositionsProtectionForeignAndPhantom() async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.224", "2.224", "2.240"]) { venue in
            let bot = try venue.startBot()
            await venue.waitUntilTrading(bot)
            while venue.venuePosition == nil || !KillRestartTests.settled(venue, bot), venue.controller.remainingPoints > 1 {
                await venue.stepAndWaitForMark(bot)
                await venue.eventually(bot) { bot.transport.killed || KillRestartTests.settled(venue, bot) }
            }
            _ = try await bot.stop()
            let short = try #require(venue.venuePosition)
            let backstop = try #require(venue.restingBackstops.first)
            Self.openForeignLong(venue)
            // Ten minutes pass with the bot stopped: its exit owner is silent as of the venue's time.
            venue.controller.advance(by: .seconds(600))

            // 1. The bot's short is protected and owned; the manual long is foreign and has no stop.
            let first = try await Self.diagnose(venue)
            let held = try #require(first.venue?.held)
            #expect(first.venue?.snapshot.isComplete == true, "\(first.venue?.snapshot.unread ?? [])")
            #expect(held.map(\.row.snapshot.symbol) == ["ATOMUSDT", "LINKUSDT"])
            let atom = held[0], link = held[1]
            #expect(atom.side == .short && atom.quantity == short.quantity && atom.owner?.runID == bot.runID.value)
            #expect(atom.stops?.map(\.request.triggerPrice) == [backstop.triggerPrice] && atom.coveredQuantity == atom.quantity)
            // LINKUSDT long 10 @ 15.000, 20x, mark 15.300: move = 0.300 / 15.000 = +2.00%; PnL = 10 × 0.300 = 3.00 USDT;
            // initial margin = 150.00 / 20 = 7.50, ROE = 3.00 / 7.50 = +40.00%; notional = 10 × 15.300 = 153.00 USDT.
            let figures = try #require(link.figures)
            #expect(link.owner == nil && link.stops == [] && link.row.snapshot.leverage == 20)
            #expect(figures.price == Price("15.300")! && figures.unrealizedPnL == Money("3.00")! && figures.notional == Money("153.00")!)
            #expect(abs(figures.returns.priceMovePct - 2.0) < 1e-9 && abs((figures.returns.roePct ?? 0) - 40.0) < 1e-9)
            #expect(figures.liquidationPrice == link.row.snapshot.liquidationPrice)
            // The same function the store's section uses gives the same figures for the venue's short.
            let atomPosition = try #require(atom.position)
            #expect(atom.figures == PositionFigures.of(atomPosition, at: Price("2.224")!, liquidationPrice: atom.row.snapshot.liquidationPrice))
            #expect(Array(Self.rules(first).prefix(1)) == ["unprotected-on-venue"])
            #expect(first.findings[0].title.hasPrefix("LINKUSDT LONG 10"))
            #expect(Self.rules(first).contains("foreign-position") && !Self.rules(first).contains("phantom-position"))
            #expect(!Self.rules(first).contains("venue-unread"))
            let text = first.lines.joined(separator: "\n")
            #expect(text.contains("VENUE ACCOUNT") && text.contains("position mode one-way, can trade yes") && text.contains("margin ratio"))
            #expect(text.contains("LINKUSDT LONG 10 @ 15, 20x: mark 15.3, move +2.00%, ROE +40.00%, unrealised 3.00 USDT, notional 153.00 USDT"))
            #expect(text.contains("protection on the venue: NO STOP resting"))
            #expect(text.contains("protection on the venue: close-position STOP_MARKET BUY at \(backstop.triggerPrice!)"))
            #expect(text.contains("(resting on the venue)") && text.contains("VENUE MONEY") && text.contains("exchange income (GET /fapi/v1/income"))
            #expect(!text.contains(VenueLiveHarness.secret) && !first.html.contains(VenueLiveHarness.secret))
            #expect(first.html.contains("venue positions (2)"))
            // The store's own section priced the short at the venue's mark.
            #expect(first.positions.first?.priceSource?.hasPrefix("venue mark price") == true)
            #expect(first.asOf == first.venue?.snapshot.readAt && first.asOf == venue.controller.now)
            #expect(Self.rules(first).contains("exit-owner-silent"))

            // 2. The backstop is cancelled on the venue: the short is unprotected there, though its owner recorded one.
            let rest = BinanceRESTClient(transport: venue.http, credentials: BinanceCredentials(apiKey: VenueLiveHarness.apiKey, hmacSecret: VenueLiveHarness.secret),
                                         clock: venue.clock, logger: VenueLiveHarness.quiet)
            let client = BinanceExecutionClient(rest: rest, instruments: [], logger: VenueLiveHarness.quiet, pause: { _ in })
            try await client.cancelAlgo(backstop.clientOrderID, symbol: VenueLiveHarness.symbol)
            let second = try await Self.diagnose(venue)
            let unprotected = second.findings.prefix { $0.rule == "unprotected-on-venue" }
            #expect(unprotected.map { String($0.title.prefix(8)) }.sorted() == ["ATOMUSDT", "LINKUSDT"])
            #expect(second.lines.joined().contains("backstop recorded at \(backstop.triggerPrice!) (NOT on the venue)"))

            // 3. The short is closed by hand: the store still holds it open (a phantom).
            venue.controller.placeManualMarketOrder(symbol: VenueLiveHarness.symbol, side: .buy, quantity: short.quantity)
            #expect(venue.venuePosition == nil)
            let third = try await Self.diagnose(venue)
            #expect(third.venue?.held.map(\.row.snapshot.symbol) == ["LINKUSDT"])
            let phantom = try #require(third.findings.first { $0.rule == "phantom-position" })
            #expect(phantom.title.hasPrefix("ATOMUSDT SHORT: open in the store (run #\(bot.runID.value!))"))
        }
    }

    @Test("A 5xx that outlasts the retries: the positions are NOT READ with the reason, later calls are not sent, the store's sections still print",
          .timeLimit(.minutes(5)))
    func serverErrorsLeaveTheVenueUnreadAndSaySo() async throws {
        try await VenueLiveHarness.run(prices: ["2.224"]) { venue in
            try Self.liveStore(venue)
            venue.controller.inject(.serverError(status: 503, code: -1001, message: "Service Unavailable."), path: "/fapi/v3/positionRisk", times: 3)
            let pauses = Box<[Duration]>([])
            let diagnosis = try await Self.diagnose(venue, pauses: pauses)
            let snapshot = try #require(diagnosis.venue?.snapshot)
            #expect(!snapshot.isComplete && pauses.value == [.seconds(1), .seconds(2)])
            guard case .failed(let failure) = snapshot.positions else { Issue.record("positions read"); return }
            #expect(failure.code == -1001 && failure.attempts == 3 && failure.kind == .transient)
            #expect(snapshot.orders.value == nil && snapshot.account.value == nil)
            #expect(!venue.controller.requests.contains { $0.path == "/fapi/v3/account" || $0.path == "/fapi/v1/income" })
            let unread = try #require(diagnosis.findings.first)
            #expect(unread.rule == "venue-unread" && unread.severity == .critical)
            let text = diagnosis.lines.joined(separator: "\n")
            #expect(text.contains("INCOMPLETE: 5 sections could not be read"))
            #expect(text.contains("positions: NOT READ: GET /fapi/v3/positionRisk: venue unavailable (retried) (code -1001), 3 attempts: Service Unavailable."))
            #expect(text.contains("NOT RECONCILED"))
            #expect(text.contains("\nACCOUNT\n") && text.contains("RECENT SIGNALS") && text.contains("run #1 live ema-cross"))
        }
    }

    @Test("Rate limited: a 429 whose Retry-After is short is waited out and the read completes; a long one is reported, and nothing is sent during the back-off (no 418)",
          .timeLimit(.minutes(5)))
    func rateLimitsAreWaitedOutOrReported() async throws {
        try await VenueLiveHarness.run(prices: ["2.224"]) { venue in
            try Self.liveStore(venue)
            venue.controller.inject(.rateLimited(retryAfterSeconds: 5), path: "/fapi/v3/account")
            let pauses = Box<[Duration]>([])
            let waited = try await Self.diagnose(venue, pauses: pauses)
            #expect(waited.venue?.snapshot.isComplete == true && pauses.value == [.seconds(5)])
            #expect(venue.controller.observation.requestsDuringBackOff == 0)

            venue.controller.inject(.rateLimited(retryAfterSeconds: 120), path: "/fapi/v3/positionRisk")
            let limited = try await Self.diagnose(venue)
            let snapshot = try #require(limited.venue?.snapshot)
            guard case .failed(let failure) = snapshot.positions else { Issue.record("positions read"); return }
            #expect(failure.code == -1003 && failure.attempts == 1)
            if case .rateLimited(let wait) = failure.kind { #expect(wait == .seconds(120)) } else { Issue.record("\(failure.kind)") }
            #expect(!snapshot.isComplete && venue.controller.observation.requestsDuringBackOff == 0)
            #expect(limited.lines.joined(separator: "\n").contains("positions: NOT READ: GET /fapi/v3/positionRisk: rate limited (retry after 120.0 seconds) (code -1003)"))
            if case .notTried(let why) = snapshot.account { #expect(why.contains("rate limited")) } else { Issue.record("account read during the back-off") }

            // A 418 ban (an IP that ignored a 429 elsewhere): its end is honoured, the section says so.
            venue.controller.advance(by: .seconds(121))   // past the venue's 429 back-off
            let until = venue.controller.now.milliseconds + 600_000
            venue.controller.inject(.serverError(status: 418, code: -1003, message: "Way too many requests; IP(127.0.0.1) banned until \(until). Please use the websocket for live updates to avoid bans."),
                                    path: "/fapi/v3/positionRisk")
            let banned = try await Self.diagnose(venue)
            guard case .failed(let ban)? = banned.venue?.snapshot.positions else { Issue.record("positions read"); return }
            if case .rateLimited(let wait) = ban.kind { #expect(wait == .seconds(300)) } else { Issue.record("\(ban.kind)") }   // capped by the client
            #expect(ban.attempts == 1 && banned.venue?.snapshot.orders.value == nil && banned.findings.first?.rule == "venue-unread")
        }
    }

    @Test("Keys the venue rejects (-2015): every section says so, the key and secret appear nowhere", .timeLimit(.minutes(5)))
    func rejectedKeysAreNamed() async throws {
        try await VenueLiveHarness.run(prices: ["2.224"]) { venue in
            try Self.liveStore(venue)
            let wrong = try LiveCredentials.load(environment: ["QT_BINANCE_API_KEY": "not-a-key-on-this-venue", "QT_BINANCE_API_SECRET": "a-wrong-secret-0009"],
                                                 keyFile: nil, repositoryRoot: nil)
            let diagnosis = try await Self.diagnose(venue, credentials: wrong)
            let snapshot = try #require(diagnosis.venue?.snapshot)
            guard case .failed(let failure) = snapshot.positions else { Issue.record("positions read"); return }
            #expect(failure.code == -2015 && failure.keysRejected && snapshot.readAt != nil)
            #expect(snapshot.unread.count == 5)
            let text = diagnosis.lines.joined(separator: "\n") + diagnosis.html
            #expect(text.contains("the API keys were rejected (code -2015)"))
            #expect(!text.contains("a-wrong-secret-0009") && !text.contains("not-a-key-on-this-venue"))
        }
    }

    @Test("A malformed account payload fails that section only (named), the positions and orders are read", .timeLimit(.minutes(5)))
    func malformedPayloadFailsItsSectionOnly() async throws {
        try await VenueLiveHarness.run(prices: ["2.224"]) { venue in
            try Self.liveStore(venue)
            Self.openForeignLong(venue)
            venue.controller.inject(.malformedAnswer(#"{"totalWalletBalance": "12.5", "assets": [{"asset": "USDT""#), path: "/fapi/v3/account")
            let diagnosis = try await Self.diagnose(venue)
            let snapshot = try #require(diagnosis.venue?.snapshot)
            #expect(snapshot.positions.value?.count == 1 && snapshot.orders.value != nil && snapshot.config.value != nil)
            guard case .failed(let failure) = snapshot.account else { Issue.record("account read"); return }
            #expect(failure.kind == .configuration && failure.code == nil && failure.message.contains("GET /fapi/v3/account"))
            #expect(!snapshot.isComplete && snapshot.unread.map(\.section) == ["account"])
            #expect(diagnosis.findings.first?.rule == "unprotected-on-venue")
            let unread = try #require(diagnosis.findings.first { $0.rule == "venue-unread" })
            #expect(unread.severity == .warning)
            #expect(diagnosis.lines.joined(separator: "\n").contains("venue wallet: unknown (NOT READ: GET /fapi/v3/account: configuration error"))
        }
    }

    @Test("A venue slower than the client's timeout: the positions are NOT READ (no response), nothing later is sent", .timeLimit(.minutes(5)))
    func slowVenueTimesOut() async throws {
        try await VenueLiveHarness.run(prices: ["2.224"]) { venue in
            try Self.liveStore(venue)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            // The held answers never come; 2 s (not less) so that the venue's prompt answers to the
            // calls before them never miss it on a loaded machine.
            let impatient = AsyncHTTPClientTransport(client: client, baseURL: "http://127.0.0.1:\(venue.port)", timeout: .seconds(2))
            venue.controller.inject(.slowAnswer, path: "/fapi/v3/positionRisk", times: 3)
            let diagnosis = try await Self.diagnose(venue, transport: impatient)
            venue.controller.releaseSlowAnswers()
            try await client.shutdown()
            let snapshot = try #require(diagnosis.venue?.snapshot)
            guard case .failed(let failure) = snapshot.positions else { Issue.record("positions read"); return }
            #expect(failure.kind == .transient && failure.attempts == 3 && failure.message.contains("no response"))
            #expect(venue.controller.observation.slowAnswersHeld == 3)
            #expect(!venue.controller.requests.contains { $0.path == "/fapi/v1/openOrders" })
            #expect(diagnosis.lines.joined(separator: "\n").contains("positions: NOT READ: GET /fapi/v3/positionRisk: venue unavailable (retried)"))
        }
    }
}
