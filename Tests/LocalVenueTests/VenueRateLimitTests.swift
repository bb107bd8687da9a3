import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel
import Backtest

/// The REST client against the venue's real request-weight and order-count limits (429/418,
/// `X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S/1M`). Venue time moves only by hand.
@Suite("Local venue: rate limits honoured by the Binance client")
struct VenueRateLimitTests {
    /// Start-up costs 3 weight (time, exchangeInfo, leverageBracket); `positionRisk` costs 5.
    static let small = VenueRateLimits(weightPerMinute: 60)

    /// Reads `positionRisk` until the client refuses locally; returns the refusal's wait.
    static func exhaustWeight(_ venue: VenueHarness) async throws -> Duration {
        for _ in 0..<40 {
            do {
                _ = try await venue.client.positions()
            } catch {
                guard case .rateLimited(let wait?) = error.kind else { throw error }
                return wait
            }
        }
        throw VenueTestError("the weight budget was never exhausted")
    }

    /// Usage belongs to its minute: once the minute's weight is spent, reads are refused by the
    /// client itself (the venue never has to answer 429, nobody is banned), and in the next
    /// minute they are served again.
    @Test(.timeLimit(.minutes(5))) func restNeverLocksItselfOutWeightExhaustionRecoversInTheNextMinute() async throws {
        try await VenueHarness.run(rateLimits: Self.small) { venue async throws in
            #expect(venue.rest.rateLimits.limits.weightPerMinute == 60)
            let wait = try await Self.exhaustWeight(venue)
            #expect(wait > .zero && wait <= .seconds(60))
            #expect(venue.controller.observation.rateLimitRefusals == 0)
            #expect(venue.controller.observation.requestsDuringBackOff == 0)
            venue.controller.advance(by: wait)
            venue.clock.set(venue.controller.now)
            #expect(try await venue.client.positions().isEmpty)
            #expect(venue.controller.observation.rateLimitRefusals == 0)
        }
    }

    /// With the minute's weight spent, the protective requests still go out: a close-position
    /// backstop (0 weight), its cancel (never held back by the client), and a reduce-only close
    /// (0 weight) that flattens the position. Reads stay refused until the minute ends.
    @Test(.timeLimit(.minutes(5))) func closesBackstopsAndCancelsStillGoOutWhileIPWeightIsExhausted() async throws {
        try await VenueHarness.run(rateLimits: Self.small) { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-rl-1-en", .buy, .market, quantity: "0.010"))
            _ = try await Self.exhaustWeight(venue)
            let backstop = try await venue.client.submit(venue.order("qt-rl-1-bs", .sell, .stopMarket, quantity: nil, trigger: "45000.0",
                                                                     closePosition: true))
            #expect(backstop.status == .new)
            try await venue.client.cancel(ClientOrderID("qt-rl-1-bs")!, symbol: VenueHarness.symbol)
            let close = try await venue.client.submit(venue.order("qt-rl-1-cl", .sell, .market, quantity: "0.010", reduceOnly: true))
            #expect(close.status == .filled)
            #expect(venue.controller.inspect { $0.exchange.ledger.sideSign[0] } == 0)
            #expect(venue.controller.requests.filter { ["/fapi/v1/order", "/fapi/v1/algoOrder"].contains($0.path) && $0.method != "GET" }
                .map { "\($0.method) \($0.status)" } == ["POST 200", "POST 200", "DELETE 200", "POST 200"])
            let read = await #expect(throws: ExecutionError.self) { try await venue.client.positions() }
            if case .rateLimited = read?.kind {} else { Issue.record("a read went out with the weight spent: \(String(describing: read))") }
            #expect(venue.controller.observation.requestsDuringBackOff == 0)
        }
    }

    /// Order counts (`ORDERS` per 10 s, from exchangeInfo, kept current by `X-MBX-ORDER-COUNT-10S`):
    /// entries stop short of the limit, leaving a reserve for protective orders; protective
    /// orders may use it; the next 10 s window serves entries again. The venue never answers -1015.
    @Test(.timeLimit(.minutes(5))) func orderCountLimitsAreHonouredWithAReserveForProtectiveOrders() async throws {
        try await VenueHarness.run(rateLimits: VenueRateLimits(ordersPerTenSeconds: 10)) { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-oc-1-en", .buy, .market, quantity: "0.010"))
            var entries = 1
            var refusal: ExecutionError?
            while refusal == nil && entries < 20 {
                do throws(ExecutionError) {
                    _ = try await venue.client.submit(venue.order("qt-oc-\(entries + 1)-en", .buy, .limit, quantity: "0.010", price: "40000.0"))
                    entries += 1
                } catch {
                    refusal = error
                }
            }
            // 10 per 10 s, 1 kept for protection: the 10th order is not an entry's.
            #expect(entries == 9)
            guard case .rateLimited(let wait?) = refusal?.kind else { Issue.record("expected a local refusal, got \(String(describing: refusal))"); return }
            #expect(wait > .zero && wait <= .seconds(10))
            let backstop = try await venue.client.submit(venue.order("qt-oc-1-bs", .sell, .stopMarket, quantity: nil, trigger: "45000.0",
                                                                     closePosition: true))
            #expect(backstop.status == .new)
            #expect(venue.controller.observation.rateLimitRefusals == 0)
            venue.controller.advance(by: wait)
            venue.clock.set(venue.controller.now)
            _ = try await venue.client.submit(venue.order("qt-oc-20-en", .buy, .limit, quantity: "0.010", price: "40000.0"))
            #expect(venue.controller.observation.rateLimitRefusals == 0)
        }
    }
}
