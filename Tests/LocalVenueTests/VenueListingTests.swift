import Backtest
import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel

/// Symbol status and filters as the venue lists them, read by the real client: only `TRADING`
/// perpetuals are accepted at start-up; a refresh picks up a tick change, and protective orders
/// planned on the old grid still go out (moved onto the new one toward the safe side).
@Suite("Local venue: listing status and filter changes")
struct VenueListingTests {
    static let btc = BundledInstruments.instrument(VenueHarness.symbol)!

    @Test(.timeLimit(.minutes(5)), arguments: [("SETTLING", "PERPETUAL", "status SETTLING"), ("TRADING", "CURRENT_QUARTER", "not a perpetual"),
                                               ("PENDING_TRADING", "PERPETUAL", "status PENDING_TRADING")])
    func onlyTradingPerpetualsAreAcceptedAtStart(_ status: String, _ contract: String, _ message: String) async throws {
        try await VenueHarness.run(setUp: false) { venue async throws in
            venue.controller.list(VenueListing(instrument: Self.btc, status: status, contractType: contract))
            try await venue.rest.syncServerTime()
            let error = await #expect(throws: ExecutionError.self) { try await venue.client.loadInstruments([VenueHarness.symbol]) }
            #expect(error?.kind == .configuration)
            #expect(error?.message.contains(message) == true && error?.message.contains("TRADING perpetuals only") == true, "\(String(describing: error))")
        }
    }

    @Test(.timeLimit(.minutes(5))) func aSymbolThatIsNotListedIsRefusedAtStart() async throws {
        try await VenueHarness.run(setUp: false) { venue async throws in
            try await venue.rest.syncServerTime()
            let error = await #expect(throws: ExecutionError.self) { try await venue.client.loadInstruments(["ETHUSDT"]) }
            #expect(error?.message.contains("not listed") == true)
        }
    }

    /// BTCUSDT's tick goes from 0.10 to 1 (min price 557) while a long is open. The refresh
    /// reports it; a close-position stop planned at 45000.5 is placed at 45001 (a long's stop
    /// moves up: it fires sooner); an entry planned on the old grid is refused before sending.
    @Test(.timeLimit(.minutes(5))) func aTickChangeIsPickedUpAndProtectiveOrdersMoveOntoTheNewGrid() async throws {
        try await VenueHarness.run { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-tk-1-en", .buy, .market, quantity: "0.010"))
            var coarse = Self.btc
            coarse.tickSize = Price(units: 1)
            coarse.minPrice = Price(units: 557)
            venue.controller.list(VenueListing(instrument: coarse))
            let statuses = try await venue.client.refreshInstruments([VenueHarness.symbol])
            #expect(statuses.count == 1 && statuses[0].isTradable && statuses[0].refusal == nil)
            #expect(statuses[0].instrument?.tickSize == Price(units: 1))
            let stop = try await venue.client.submit(venue.order("qt-tk-1-bs", .sell, .stopMarket, quantity: nil, trigger: "45000.5", closePosition: true))
            #expect(stop.status == .new)
            #expect(venue.controller.inspect { $0.exchange.openOrders.first?.request.triggerPrice } == Price(units: 45_001))
            let entry = await #expect(throws: ExecutionError.self) {
                try await venue.client.submit(venue.order("qt-tk-2-en", .buy, .limit, quantity: "0.010", price: "40000.5"))
            }
            guard case .rejected(let rejection)? = entry?.kind else { Issue.record("entry not refused: \(String(describing: entry))"); return }
            #expect(rejection.reason == .precision)
            #expect(!venue.controller.requests.contains { $0.parameters["newClientOrderId"] == "qt-tk-2-en" })
        }
    }

    /// A halt (`BREAK`): the refresh reports the symbol not tradable; the venue still takes a
    /// reduce-only close, and refuses a new position (`-4140`).
    @Test(.timeLimit(.minutes(5))) func aHaltedSymbolIsReportedAndOnlyClosesGoThrough() async throws {
        try await VenueHarness.run { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-hl-1-en", .buy, .market, quantity: "0.010"))
            venue.controller.list(VenueListing(instrument: Self.btc, status: "BREAK"))
            let status = try #require(try await venue.client.refreshInstruments([VenueHarness.symbol]).first)
            #expect(!status.isTradable && status.refusal?.contains("status BREAK") == true)
            let refused = await #expect(throws: ExecutionError.self) {
                try await venue.client.submit(venue.order("qt-hl-2-en", .buy, .market, quantity: "0.010"))
            }
            #expect(refused?.code == -4140)
            let close = try await venue.client.submit(venue.order("qt-hl-1-cl", .sell, .market, quantity: "0.010", reduceOnly: true))
            #expect(close.status == .filled)
        }
    }
}
