import BinanceFutures
import LocalVenue
import Testing
import TradingEngine
import TradingModel
import Backtest

@Suite("Local venue: REST faults survived by the Binance client")
struct VenueFaultTests {
    /// The venue accepts the order but answers 503 -1007 (execution status unknown): the client
    /// queries by client id and reports the accepted order; it never sends the order twice.
    @Test(.timeLimit(.minutes(5))) func acceptedThenTimedOutIsResolvedByQueryWithoutADuplicate() async throws {
        try await VenueHarness.run { venue async throws in
            venue.controller.inject(.acceptedThenTimedOut, method: "POST", path: "/fapi/v1/order")
            let snapshot = try await venue.client.submit(venue.order("qt-entry-9", .buy, .market, quantity: "0.010"))
            #expect(snapshot.status == .filled)
            #expect(snapshot.request.clientOrderID.value == "qt-entry-9")
            #expect(venue.posts("/fapi/v1/order").count == 1)
            #expect(venue.controller.requests.contains { $0.method == "GET" && $0.path == "/fapi/v1/order" && $0.parameters["origClientOrderId"] == "qt-entry-9" })
            #expect(try await venue.client.positions().first?.signedQuantity == Quantity("0.010")!)
        }
    }

    /// The order is executed, then the connection closes with no answer (what a client-side
    /// timeout looks like): `connectionLost` → unknown outcome → query by client id, no resend.
    @Test(.timeLimit(.minutes(5))) func acceptedThenConnectionLostIsResolvedByQueryWithoutADuplicate() async throws {
        try await VenueHarness.run { venue async throws in
            venue.controller.inject(.acceptedThenConnectionLost, method: "POST", path: "/fapi/v1/order")
            let snapshot = try await venue.client.submit(venue.order("qt-entry-13", .buy, .limit, quantity: "0.010", price: "49000.0"))
            #expect(snapshot.status == .new)
            #expect(snapshot.request.clientOrderID.value == "qt-entry-13")
            #expect(venue.posts("/fapi/v1/order").count == 1)
            // The snapshot came from the status query, not from the (never sent) answer.
            #expect(venue.controller.requests.contains { $0.method == "GET" && $0.path == "/fapi/v1/order" && $0.parameters["origClientOrderId"] == "qt-entry-13" })
            #expect(try await venue.client.openOrders(symbol: VenueHarness.symbol).map(\.request.clientOrderID.value) == ["qt-entry-13"])
        }
    }

    /// Same for a close-position stop on the Algo Order API: resolved through `GET /fapi/v1/algoOrder`.
    @Test(.timeLimit(.minutes(5))) func algoStopAcceptedThenTimedOutIsResolvedByQuery() async throws {
        try await VenueHarness.run { venue async throws in
            _ = try await venue.client.submit(venue.order("qt-entry-10", .buy, .market, quantity: "0.010"))
            venue.controller.inject(.acceptedThenTimedOut, method: "POST", path: "/fapi/v1/algoOrder")
            let stop = try await venue.client.submit(venue.order("qt-stop-10", .sell, .stopMarket, quantity: nil, trigger: "49000.0", closePosition: true))
            #expect(stop.status == .new)
            #expect(venue.posts("/fapi/v1/algoOrder").count == 1)
            #expect(venue.controller.inspect { engine in engine.exchange.openOrders.count } == 1)
        }
    }

    /// A 503 "Service Unavailable." means not executed: a transient error, nothing placed, not resent.
    @Test(.timeLimit(.minutes(5))) func serviceUnavailableIsTransientAndNothingIsPlaced() async throws {
        try await VenueHarness.run { venue async throws in
            venue.controller.inject(.serverError(status: 503, code: -1008, message: "Service Unavailable."), method: "POST", path: "/fapi/v1/order")
            let error = await #expect(throws: ExecutionError.self) {
                try await venue.client.submit(venue.order("qt-entry-11", .buy, .market, quantity: "0.010"))
            }
            #expect(error?.kind == .transient)
            #expect(venue.posts("/fapi/v1/order").count == 1)
            #expect(try await venue.client.positions().isEmpty)
            // -1001 on a write is treated as an unknown outcome: the client queries (nothing
            // there), reports `unknownStatus` for reconciliation, and still does not resend.
            venue.controller.inject(.serverError(status: 500, code: -1001, message: "Internal error; unable to process your request. Please try again."),
                                    method: "POST", path: "/fapi/v1/order")
            let unknown = await #expect(throws: ExecutionError.self) {
                try await venue.client.submit(venue.order("qt-entry-11b", .buy, .market, quantity: "0.010"))
            }
            #expect(unknown?.kind == .unknownStatus)
            #expect(venue.posts("/fapi/v1/order").count == 2)
            #expect(venue.controller.requests.filter { $0.method == "GET" && $0.parameters["origClientOrderId"] == "qt-entry-11b" }.count == 4)
            #expect(try await venue.client.positions().isEmpty)
            // A read failing with 500 is transient too, and the next read works.
            venue.controller.inject(.serverError(status: 500, code: -1000, message: "An unknown error occured while processing the request."),
                                    method: "GET", path: "/fapi/v3/positionRisk")
            let readError = await #expect(throws: ExecutionError.self) { try await venue.client.positions() }
            #expect(readError?.kind == .transient)
            #expect(try await venue.client.positions().isEmpty)
        }
    }

    /// 429 with Retry-After 30: the client stays silent for 30 s of venue time (the venue would
    /// answer 418 to any request in that window), then works again.
    @Test(.timeLimit(.minutes(5))) func rateLimitBackOffIsHonoured() async throws {
        try await VenueHarness.run { venue async throws in
            venue.controller.inject(.rateLimited(retryAfterSeconds: 30), method: "GET", path: "/fapi/v3/positionRisk")
            let limited = await #expect(throws: ExecutionError.self) { try await venue.client.positions() }
            #expect(limited?.kind == .rateLimited(retryAfter: .seconds(30)))
            let sentBefore = venue.controller.requests.count
            // Still inside the back-off: refused locally, nothing reaches the venue.
            venue.controller.advance(by: .seconds(10))
            venue.clock.set(venue.controller.now)
            let silent = await #expect(throws: ExecutionError.self) { try await venue.client.openOrders(symbol: VenueHarness.symbol) }
            #expect(silent?.kind == .rateLimited(retryAfter: .seconds(20)))
            #expect(venue.controller.requests.count == sentBefore)
            venue.controller.advance(by: .seconds(21))
            venue.clock.set(venue.controller.now)
            #expect(try await venue.client.positions().isEmpty)
            #expect(venue.controller.observation.requestsDuringBackOff == 0)
        }
    }

    /// The venue clock runs 10 s ahead of the client's estimate: -1021, re-sync with
    /// `GET /fapi/v1/time`, one retry with a fresh timestamp and signature, success.
    @Test(.timeLimit(.minutes(5))) func timestampOutsideTheWindowTriggersAResyncAndOneRetry() async throws {
        try await VenueHarness.run { venue async throws in
            venue.controller.advance(by: .seconds(10))
            let snapshot = try await venue.client.submit(venue.order("qt-entry-12", .buy, .market, quantity: "0.010"))
            #expect(snapshot.status == .filled)
            #expect(venue.rest.serverOffsetMilliseconds == 10_000)
            let tail = venue.controller.requests.suffix(3).map { "\($0.method) \($0.path) \($0.status)" }
            #expect(tail == ["POST /fapi/v1/order 400", "GET /fapi/v1/time 200", "POST /fapi/v1/order 200"])
            #expect(venue.posts("/fapi/v1/order").filter { $0.status == 200 }.count == 1)
            // An injected -1021 takes the same path.
            venue.controller.inject(.timestampRejected, method: "GET", path: "/fapi/v3/positionRisk")
            #expect(try await venue.client.positions().count == 1)
        }
    }

    /// A client whose clock is ahead of the venue by more than 1 s is refused too (Binance's
    /// "1000ms ahead" rule), and recovers the same way.
    @Test(.timeLimit(.minutes(5))) func timestampAheadOfTheServerIsRefusedAndResynced() async throws {
        try await VenueHarness.run { venue async throws in
            venue.clock.advance(by: .seconds(5))
            #expect(try await venue.client.positions().isEmpty)
            #expect(venue.rest.serverOffsetMilliseconds == -5_000)
            #expect(venue.controller.requests.contains { $0.path == "/fapi/v3/positionRisk" && $0.status == 400 })
        }
    }
}
