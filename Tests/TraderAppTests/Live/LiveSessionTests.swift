import BinanceFutures
import Logging
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Signals SHORT on every closed bar.
struct ShortEveryBarStrategy: TradingStrategy {
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        Signal(symbol: "ATOMUSDT", side: .short, confidence: nil, time: closeTime, source: "test")
    }
}

/// A `LiveSession` over the fake venue (REST) and the push connector (market and user-data
/// WebSockets), with a manual clock; timers and planned reconnects never fire (they wait until
/// cancelled), back-off waits return at once.
struct LiveSessionHarness<Strategy: TradingStrategy & Sendable> {
    let clock = ManualClock(LiveHarness.start)
    let connector = PushConnector()
    let venue: FakeBinanceVenue
    let handled = Observed<RuntimeInput>()
    let store = InMemoryTradeStore()
    let strategy: Strategy
    /// The session's history back-fill (nil: starts cold).
    let warmUp: WarmUpPlan?

    init(strategy: Strategy, warmUp: WarmUpPlan? = nil) {
        self.strategy = strategy
        self.warmUp = warmUp
        venue = FakeBinanceVenue(connector: connector, clock: clock)
    }

    /// Runs the session while `body` drives it, then stops it (as SIGINT does).
    func run(_ body: (Self) async throws -> Void) async throws -> LiveSession<Strategy, BrainGate, ExitExecutor>.Summary {
        let handled = self.handled
        let session = LiveSession<Strategy, BrainGate, ExitExecutor>(
            transport: venue, websocketURL: "ws://127.0.0.1:9", connector: connector, credentials: try LiveCredentials.testPair,
            symbols: ["ATOMUSDT"], clock: clock, timerInterval: .seconds(7 * 86_400), seed: 5,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            sleep: { duration in
                if duration > .seconds(120) {  // timer ticks, keep-alive, planned reconnects: never in these tests
                    await waitForCancellation()
                    throw CancellationError()
                }
            },
            pause: { _ in }, observer: { handled.append($0) }, warmUp: warmUp)
        let (stopSignal, stop) = AsyncStream.makeStream(of: Void.self)
        let store = self.store
        let strategy = self.strategy
        let makeRuntime: LiveSession<Strategy, BrainGate, ExitExecutor>.RuntimeFactory = { session in
            let brain = try ExitBrain(settings: ExitSettings())
            let runID = try store.beginRun(RunRecord(kind: .live, startedAt: LiveHarness.start, configHash: "test", detail: "live session test"))
            let kernel = TradingKernel<Strategy, BrainGate, ExitExecutor>(
                instruments: session.instruments, strategies: [strategy], gate: BrainGate(brain: brain), initialBalance: Money(units: 10_000),
                equitySampleInterval: .seconds(3600), runTag: "lv",
                makeExitOwner: { ExitExecutor(plan: $0.entry.plan, position: $0.position, instrument: $0.instrument, settings: ExitSettings(),
                                              positionKey: $0.positionKey, orderIDs: $0.orderIDs) })
            return LiveRuntime(kernel: kernel, client: session.client, inbox: ExecutionInbox(), store: store, runID: runID,
                               alerting: RecordingAlerting(), clock: clock, planner: brain,
                               settings: LiveRuntimeSettings(runTag: "lv", priceSource: .markPrice), statusOf: { $0.status })
        }
        return try await withThrowingTaskGroup(of: LiveSession<Strategy, BrainGate, ExitExecutor>.Summary?.self) { group in
            group.addTask {
                try await session.run(makeRuntime: makeRuntime, until: { for await _ in stopSignal { return } })
            }
            do {
                try await body(self)
            } catch {
                stop.finish()
                throw error
            }
            stop.finish()
            var summary: LiveSession<Strategy, BrainGate, ExitExecutor>.Summary?
            for try await result in group { summary = result }
            return try #require(summary)
        }
    }

    /// Waits until the runtime is reconciled and both streams are in sync (entries allowed).
    func waitUntilTrading() async {
        await connector.connections.wait { urls in urls.contains { $0.contains("/market/") } }
        await handled.wait { $0.contains(.venueStreamInSync(true)) }
    }

    /// A closed 1 m kline ending now (close 2.224), then waits until the runtime handled it.
    func closedBar(close: String = "2.224") async {
        let now = clock.now.milliseconds
        let message = #"{"e":"kline","E":\#(now),"s":"ATOMUSDT","k":{"t":\#(now - 60_000),"T":\#(now - 1),"s":"ATOMUSDT","i":"1m","o":"2.22","#
            + #""c":"\#(close)","h":"2.23","l":"2.21","v":"1000","n":10,"x":true,"q":"2224","V":"500"}}"#
        let count = handled.values.count
        connector.send(message, to: .market)
        await handled.wait { values in values.dropFirst(count).contains { if case .market(.candle) = $0 { true } else { false } } }
    }

    /// A mark price update at the clock's time over the market WebSocket; waits until handled.
    func mark(_ price: String) async {
        let now = clock.now.milliseconds
        venue.setMark(Price(price)!)
        let count = handled.values.count
        connector.send(#"{"e":"markPriceUpdate","E":\#(now),"s":"ATOMUSDT","p":"\#(price)","i":"\#(price)","P":"\#(price)","r":"0.0001","T":\#(now + 3_600_000)}"#,
                       to: .market)
        await handled.wait { values in
            values.dropFirst(count).contains { if case .market(.markPrice(let mark)) = $0 { mark.price == Price(price)! } else { false } }
        }
    }
}

/// Suspends until the current task is cancelled (timers that must never fire in a test).
func waitForCancellation() async {
    let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    await withTaskCancellationHandler {
        for await _ in stream {}
    } onCancel: {
        continuation.finish()
    }
}

@Suite("LiveSession: Binance REST + market and user-data WebSockets into the live runtime (fake venue, no network)")
struct LiveSessionTests {
    @Test("ATOMUSDT SHORT at 2.224, 1.20% stop: marks rise over the WebSocket, the reduce-only market BUY goes out via REST at the event crossing 2.250688",
          .timeLimit(.minutes(5)))
    func seedIncidentThroughTheLivePath() async throws {
        let harness = LiveSessionHarness(strategy: ShortOnceStrategy())
        let summary = try await harness.run { harness in
            await harness.waitUntilTrading()
            // Start-up in order, then the reconciliation before any entry.
            let paths = harness.venue.requests.values.map { "\($0.method.rawValue) \($0.path)" }
            #expect(Array(paths.prefix(9)) == ["GET /fapi/v1/time", "GET /fapi/v1/positionSide/dual", "GET /fapi/v1/exchangeInfo",
                                                "GET /fapi/v1/leverageBracket", "POST /fapi/v1/marginType", "GET /fapi/v3/balance",
                                                "GET /fapi/v3/positionRisk", "GET /fapi/v1/openOrders", "GET /fapi/v1/openAlgoOrders"])
            await harness.closedBar()
            await harness.mark("2.224")
            // The entry fill comes back on the user-data stream; the backstop follows it.
            await harness.venue.requests.wait { $0.contains { $0.path == "/fapi/v1/algoOrder" && $0.method == .post } }
            let entry = try #require(harness.venue.sent(.post, "/fapi/v1/order").first)
            #expect(FakeBinanceVenue.parameter("side", in: entry) == "SELL" && FakeBinanceVenue.parameter("type", in: entry) == "MARKET")
            #expect(FakeBinanceVenue.parameter("quantity", in: entry) == "446.03" && FakeBinanceVenue.parameter("reduceOnly", in: entry) == nil)
            #expect(harness.venue.sent(.post, "/fapi/v1/leverage").map { FakeBinanceVenue.parameter("leverage", in: $0) } == ["2"])
            let backstop = try #require(harness.venue.sent(.post, "/fapi/v1/algoOrder").first)
            #expect(FakeBinanceVenue.parameter("type", in: backstop) == "STOP_MARKET" && FakeBinanceVenue.parameter("closePosition", in: backstop) == "true")
            #expect(FakeBinanceVenue.parameter("triggerPrice", in: backstop) == "2.256" && FakeBinanceVenue.parameter("side", in: backstop) == "BUY")
            await harness.handled.wait { $0.contains { if case .execution(.accepted(_, _, _, _)) = $0 { true } else { false } } }

            harness.clock.set(LiveHarness.time(1))
            await harness.mark("2.240")
            #expect(harness.venue.sent(.post, "/fapi/v1/order").count == 1)
            // 2.224 × 1.012 = 2.250688 → stop 2.250 on the tick (safe side for a short); 2.2507 crosses 2.250688.
            harness.clock.set(LiveHarness.time(2))
            await harness.mark("2.2507")
            // Handled on this mark; the order lane hands it to REST off the loop.
            await harness.venue.requests.wait { $0.filter { $0.method == .post && $0.path == "/fapi/v1/order" }.count >= 2 }
            let orders = harness.venue.sent(.post, "/fapi/v1/order")
            #expect(orders.count == 2)
            let close = try #require(orders.last)
            #expect(FakeBinanceVenue.parameter("side", in: close) == "BUY" && FakeBinanceVenue.parameter("type", in: close) == "MARKET")
            #expect(FakeBinanceVenue.parameter("reduceOnly", in: close) == "true" && FakeBinanceVenue.parameter("quantity", in: close) == "446.03")
            // The close's fill arrives on the user-data stream; the backstop is cancelled.
            await harness.venue.requests.wait { $0.contains { $0.path == "/fapi/v1/algoOrder" && $0.method == .delete } }
            #expect(harness.venue.sent(.delete, "/fapi/v1/algoOrder").map { FakeBinanceVenue.parameter("clientAlgoId", in: $0) }
                == [FakeBinanceVenue.parameter("clientAlgoId", in: backstop)])
        }
        let trade = try #require(summary.trades.first)
        #expect(trade.exitReason == .stopLoss)
        // gross (2.224 − 2.2507) × 446.03 = −11.909001; fees 0.49598536 + 0.50193986; net −12.90692622
        #expect(trade.grossPnL == Money("-11.909001")! && trade.netPnL == Money("-12.90692622")!)
        #expect(summary.openPositions.isEmpty)
        #expect(try harness.store.trades(runID: 1).map(\.exitReason) == ["stop_loss"])
    }

    @Test("A user-data stream reconnect holds entries, resyncs and reconciles (positions, open orders, open algo orders) before the next entry",
          .timeLimit(.minutes(5)))
    func userStreamReconnectReconcilesBeforeTheNextEntry() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy())
        let summary = try await harness.run { harness in
            await harness.waitUntilTrading()
            harness.connector.holdUserConnections()
            let beforeDrop = harness.handled.values.count
            harness.connector.drop(.user)
            await harness.handled.wait { $0.dropFirst(beforeDrop).contains(.venueStreamInSync(false)) }
            // While the stream is down, a signal is not acted on.
            harness.clock.set(LiveHarness.time(60))
            await harness.closedBar()
            await harness.mark("2.224")
            #expect(harness.venue.sent(.post, "/fapi/v1/order").isEmpty)
            let reconcilesBefore = harness.handled.values.filter { if case .reconcile = $0 { true } else { false } }.count
            let beforeRelease = harness.handled.values.count
            harness.connector.releaseUserConnections()
            await harness.handled.wait { $0.dropFirst(beforeRelease).contains(.venueStreamInSync(true)) }
            #expect(harness.handled.values.filter { if case .reconcile = $0 { true } else { false } }.count == reconcilesBefore + 1)
            #expect(harness.connector.connections.values.filter { $0.contains("/private/") }
                == ["ws://127.0.0.1:9/private/ws?listenKey=K1", "ws://127.0.0.1:9/private/ws?listenKey=K2"])
            // The next bar's signal is entered, after the resync's reads.
            harness.clock.set(LiveHarness.time(120))
            await harness.closedBar()
            await harness.mark("2.224")
            // The entry goes out on its lane, off the loop: wait for it to reach the venue.
            await harness.venue.requests.wait { $0.contains { $0.method == .post && $0.path == "/fapi/v1/order" } }
            let paths = harness.venue.requests.values.map { "\($0.method.rawValue) \($0.path)" }
            let entryIndex = try #require(paths.firstIndex(of: "POST /fapi/v1/order"))
            let lastListenKey = try #require(paths.lastIndex(of: "POST /fapi/v1/listenKey"))
            #expect(lastListenKey < entryIndex)
            #expect(Array(paths[(lastListenKey + 1)..<entryIndex]).starts(with: ["GET /fapi/v3/positionRisk", "GET /fapi/v1/openOrders",
                                                                                    "GET /fapi/v1/openAlgoOrders"]))
            await harness.venue.requests.wait { $0.contains { $0.path == "/fapi/v1/algoOrder" && $0.method == .post } }
        }
        let blocked = try harness.store.decisions(runID: 1).filter { !$0.approved }
        #expect(blocked.count == 1 && blocked[0].reasons[0].contains("resyncing"))
        // Stopped with the position open: nothing was closed, the backstop protects it.
        #expect(summary.openPositions.count == 1 && summary.trades.isEmpty)
        #expect(harness.venue.sent(.post, "/fapi/v1/order").count == 1)
    }

    @Test("A market stream reconnect holds entries until a reconciliation through the loop succeeded", .timeLimit(.minutes(5)))
    func marketStreamReconnectReconciles() async throws {
        let harness = LiveSessionHarness(strategy: ShortEveryBarStrategy())
        _ = try await harness.run { harness in
            await harness.waitUntilTrading()
            let positionReads = harness.venue.sent(.get, "/fapi/v3/positionRisk").count
            let beforeDrop = harness.handled.values.count
            harness.connector.drop(.market)
            await harness.handled.wait { $0.dropFirst(beforeDrop).contains(.marketStreamInSync(true)) }
            let after = Array(harness.handled.values.dropFirst(beforeDrop))
            // Hold, reconcile (its reads on a lane, the repairs when they are back), release.
            #expect(after.count == 4)
            #expect(after.first == .marketStreamInSync(false) && after.last == .marketStreamInSync(true))
            #expect(after.dropFirst().first.map { if case .reconcile = $0 { true } else { false } } == true)
            #expect(after.dropFirst(2).first.map { if case .orderOutcome(.venueRead) = $0 { true } else { false } } == true)
            #expect(harness.venue.sent(.get, "/fapi/v3/positionRisk").count == positionReads + 1)
            #expect(harness.connector.connections.values.filter { $0.contains("/market/") }.count == 2)
        }
    }

    static func session(venue: FakeBinanceVenue, connector: PushConnector, clock: ManualClock) throws -> LiveSession<ShortOnceStrategy, BrainGate, ExitExecutor> {
        LiveSession(transport: venue, websocketURL: "ws://127.0.0.1:9", connector: connector, credentials: try LiveCredentials.testPair,
                    symbols: ["ATOMUSDT"], clock: clock, seed: 5, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                    sleep: { _ in throw CancellationError() }, pause: { _ in })
    }

    @Test("Fail closed at start: a hedge-mode account is refused; a runtime that does not send through the session's client is refused; no stream is opened")
    func startUpRefusals() async throws {
        let clock = ManualClock(LiveHarness.start)
        let connector = PushConnector()
        let hedged = FakeBinanceVenue(connector: connector, clock: clock)
        hedged.hedgeMode = true
        let hedgedSession = try Self.session(venue: hedged, connector: connector, clock: clock)
        do {
            _ = try await hedgedSession.run(makeRuntime: { _ in throw LiveRuntimeError("must not be built") }, until: {})
            Issue.record("hedge mode accepted")
        } catch {
            #expect(error.code == .hedgeMode)
            #expect(error.message.contains("hedge mode") && error.message.contains("one-way"))
        }
        let venue = FakeBinanceVenue(connector: connector, clock: clock)
        let session = try Self.session(venue: venue, connector: connector, clock: clock)
        let foreign = try LiveHarness().runtime
        do {
            // The runtime of the fake client: its orders would never be reported by the venue's streams.
            _ = try await session.run(makeRuntime: { _ in foreign }, until: {})
            Issue.record("a runtime on another client accepted")
        } catch {
            #expect(error.message.contains("session's Binance client"))
        }
        #expect(connector.connections.values.isEmpty)
        #expect(!venue.requests.values.contains { $0.method == .post && $0.path == "/fapi/v1/order" })
    }
}
