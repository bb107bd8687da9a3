import Synchronization
import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// Live trading on a Binance USDⓈ-M(-compatible) venue: the REST execution client, the market
/// streams and the user-data stream connected to one `LiveRuntime`, for any base URLs (the REST
/// transport carries its base; `websocketURL` is the stream host).
///
/// Sequence: start-up (`BinanceLiveSession.open`: server time, one-way mode, instruments with
/// margin tiers, ISOLATED margin; a hedge-mode account is refused), the runtime from `makeRuntime`
/// (where the validated entry gate is plugged in), the history back-fill (`warmUp`: closed 1 m
/// klines through the kernel, entries blocked until complete), reconciliation before any entry, then one loop
/// draining one input stream: market events, execution events from the user-data stream, timer
/// ticks every `timerInterval` of `sleep`, and resyncs. After a reconnect of the user-data stream
/// its resync holds entries (`.venueStreamInSync(false)`) and reconciles through the loop before
/// entries resume; after a reconnect of a market stream entries are held
/// (`.marketStreamInSync(false)`) until a reconciliation through the loop succeeded (retried with
/// back-off). `shutdown` returning (SIGINT in the app) stops the session: no order is sent and
/// nothing is closed; open positions stay protected by their exchange-side backstops. The stop
/// is bounded: venue calls in flight get `shutdownGrace`, then their orders are recorded with an
/// unknown outcome, which the next start queries (`LiveRuntime.carryUnresolvedOrders`).
public struct LiveSession<Strategy: TradingStrategy, Gate: EntryGate, Exit: PositionExitOwner>: Sendable {
    public typealias Runtime = LiveRuntime<Strategy, Gate, Exit>
    /// Builds the runtime once the venue's instruments are known. It must send its orders through
    /// `session.client` (the client whose user-data stream reports them); anything else is refused.
    public typealias RuntimeFactory = @Sendable (BinanceLiveSession) throws -> Runtime

    /// What the session left behind when it stopped.
    public struct Summary: Sendable {
        public var runtime: Runtime
        /// Positions still open: protected by their exchange-side backstops, not closed.
        public var openPositions: [Position]
        public var trades: [ClosedTrade]
    }

    public var transport: any HTTPTransport
    public var websocketURL: String
    public var connector: any WebSocketConnector
    public var credentials: LiveCredentials
    public var symbols: [Symbol]
    public var clock: any TradingClock
    public var timerInterval: Duration
    /// Seeds the reconnect back-off jitter.
    public var seed: UInt64
    public var logger: Logger
    /// Timer ticks, back-off and planned reconnects wait with this (`Task.sleep` in the app).
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Pauses between order-status queries of the REST client.
    public var pause: @Sendable (Duration) async -> Void
    /// Called after each input has been handled completely (metrics, tests).
    public var observer: (@Sendable (RuntimeInput) async -> Void)?
    /// History back-fill before reconciliation (`HistoryBackfill`); nil: the runtime starts cold.
    public var warmUp: WarmUpPlan?
    /// An exit order without an answer in this time is an unknown outcome (queried, never
    /// resent); nil: the transport's own timeout. `qt live` uses 5 s.
    public var exitTimeout: Duration?
    /// How often the venue's listing is read again (filters, `TRADING` status), measured on
    /// `clock` at the timer's ticks; a failed read is tried again a minute later.
    public var instrumentRefreshInterval: Duration = .seconds(900)
    /// At shutdown, venue calls still in flight get this long (on `sleep`) to answer; then their
    /// outcome is unknown (recorded `UNKNOWN`, queried at the next start) and the session ends.
    public var shutdownGrace: Duration = .seconds(5)
    /// Runs the lanes, streams and timer as services of the trader's `ServiceGroup` (nil: in the
    /// session's own task group, cancelled once the runtime has settled at shutdown).
    public var services: LiveSessionServices?

    public init(transport: any HTTPTransport, websocketURL: String, connector: any WebSocketConnector, credentials: LiveCredentials,
                symbols: [Symbol], clock: any TradingClock, timerInterval: Duration = .seconds(1), seed: UInt64, logger: Logger,
                sleep: @escaping @Sendable (Duration) async throws -> Void, pause: @escaping @Sendable (Duration) async -> Void,
                observer: (@Sendable (RuntimeInput) async -> Void)? = nil, warmUp: WarmUpPlan? = nil, exitTimeout: Duration? = nil) {
        self.transport = transport
        self.websocketURL = websocketURL
        self.connector = connector
        self.credentials = credentials
        self.symbols = symbols
        self.clock = clock
        self.timerInterval = timerInterval
        self.seed = seed
        self.logger = logger
        self.sleep = sleep
        self.pause = pause
        self.observer = observer
        self.warmUp = warmUp
        self.exitTimeout = exitTimeout
    }

    /// Starts up, reconciles and trades until `shutdown` returns. Start-up failures throw (one
    /// line naming what to fix); once trading, failures are the runtime's (alerts, halts).
    public func run(makeRuntime: RuntimeFactory, until shutdown: @escaping @Sendable () async -> Void) async throws(LiveRuntimeError) -> Summary {
        let session = try await BinanceLiveSession.open(transport: transport, credentials: credentials, symbols: symbols, clock: clock,
                                                        logger: logger, pause: pause)
        logger.info("live.started_up", metadata: ["live.symbols": "\(symbols.map(\.name).joined(separator: ","))"])
        let runtime: Runtime
        do { runtime = try makeRuntime(session) } catch { throw LiveRuntimeError("cannot build the live runtime: \(error)") }
        guard (runtime.client as? BinanceExecutionClient) === session.client else {
            throw LiveRuntimeError("the live runtime must send its orders through the session's Binance client (its user-data stream reports them)")
        }
        if let warmUp {
            await HistoryBackfill(plan: warmUp, source: session.client, logger: logger, pause: pause, sleep: sleep).run(symbols: symbols, into: runtime)
        }
        await runtime.noteCrossMargin(session.crossMarginSymbols)
        await runtime.carryUnresolvedOrders()
        try await runtime.reconcile()
        logger.info("live.reconciled")

        let (inputs, continuation) = AsyncStream<RuntimeInput>.makeStream()
        // From here on venue calls run off the loop; their results come back as inputs.
        let lanes = OrderLanes(client: session.client, exitTimeout: exitTimeout, sleep: sleep) { continuation.yield($0) }
        await runtime.attach(lanes: lanes)
        let market = MarketStreamReconnects(base: connector, inputs: continuation)
        let logger = self.logger
        await runtime.setMarketReconnect { reason in
            logger.warning("live.market_stream_forced_reconnect", metadata: ["live.reason": "\(reason)"])
            market.forceReconnect()
        }
        let stop = StopFlag()
        // Streams and timer ticks on the venue's time base (local clock + measured offset).
        let streams = LiveStreams(websocketURL: websocketURL, connector: connector, symbols: symbols, clock: session.clock, seed: seed, logger: logger,
                                  sleep: sleep, inputs: continuation)
        let parts = LiveSessionParts(
            lanes: lanes, streams: LiveSessionStreams(streams: streams, market: market, client: session.client),
            timer: LiveSessionTimer(streams: streams, client: session.client, clock: session.clock, interval: timerInterval,
                                    refreshInterval: instrumentRefreshInterval, sleep: sleep))
        let grace = shutdownGrace
        await withTaskGroup(of: Void.self) { group in
            if let services {
                // Services of the trader's group, shut down after this session returned.
                services.open(parts)
            } else {
                group.addTask { await parts.lanes.run() }
                group.addTask { await parts.streams.run() }
                group.addTask { await parts.timer.run() }
            }
            group.addTask {
                await shutdown()
                stop.set()
                lanes.beginShutdown()  // later outcomes are returned by `lanes.shutdown`
                continuation.finish()
            }
            for await input in inputs {
                if stop.isSet { break }
                await runtime.handle(input)
                await observer?(input)
            }
            market.finish()
            // Bounded: outcomes already queued, then the calls in flight until the grace ends
            // (a call that never returns becomes unknown); recorded, nothing new is sent.
            var late: [OrderOutcome] = []
            for await input in inputs { if case .orderOutcome(let outcome) = input { late.append(outcome) } }
            late += await lanes.shutdown(grace: grace)
            await runtime.settleAtShutdown(late)
            group.cancelAll()
        }
        let open = await runtime.openPositions
        logger.notice("live.stopped_positions_stay_protected_by_exchange_backstops", metadata: [
            "live.open_positions": "\(open.count)",
            "live.symbols_open": "\(open.map(\.symbol.name).joined(separator: ","))",
        ])
        return Summary(runtime: runtime, openPositions: open, trades: await runtime.trades)
    }
}

/// Set once when the session is told to stop (lock-protected: `@unchecked Sendable`).
final class StopFlag: @unchecked Sendable {
    private let lock = Mutex(())
    private var value = false
    func set() { lock.withLock { _ in value = true } }
    var isSet: Bool { lock.withLock { _ in value } }
}
