import AsyncHTTPClient
import Backtest
import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// Composition root of `qt paper`: the configuration's strategy (`ema-cross`, or `ml-ensemble`
/// with its model loaded and checked as `qt backtest` checks it), entry gate and exit owner (the
/// shared `TradingWiring`, as `qt backtest` builds them) with the simulated exchange as the venue.
///
/// - `--data FILE…`: the backtest engine on the candle files (`PaperRunner+Files`): same engine,
///   data and wiring as `qt backtest`, so the same trades; recorded as a paper run.
/// - `--venue URL` / `--local-venue FILE`: the `LiveRuntime` on the venue's market streams, with a
///   `SimulatedExecutionClient` that follows those streams itself (`follow`), system clock (or
///   the local venue's replayed time), timer ticks every second.
///
/// The validator's inputs arrive as in the backtest: every closed bar reaches the gate (its
/// higher-timeframe trend, regime and correlation history), the kernel passes the book at each
/// signal, the `RiskEngine` gets the equity at every bar close and its actions are performed by
/// the runtime; a HALTED store (`qt risk halt`) refuses every entry of the run.
public enum PaperRunner {
    /// Paper trading on live market data (`qt paper --venue URL`): the same runtime and simulated
    /// execution, with prices from `feed` (mark prices or trades, per `[exit]
    /// price_source`) and bars from its closed candles of `barInterval`. Runs until the
    /// feed ends, the task is cancelled or `observer` stops it. `eventClock` (tests, a local
    /// venue replay) is moved to each market event's time before the runtime handles it; live
    /// uses `clock` as is and ticks every `timerInterval`.
    /// `period`: the market data's span when it is known (a local venue replaying a file), else
    /// from `clock.now` on; `ml-ensemble` checks it against the model's training window.
    /// `history`: the venue's public klines, back-filled before the first live event exactly as
    /// `qt live` does (`HistoryBackfill`, the plan from the strategy and, with the validator gate,
    /// `[validation]`); entries of a symbol wait until its history is complete. nil: starts cold.
    /// `stop` returning (Ctrl-C in the app) ends the session like the end of the feed, without
    /// the "market data ended" alert: what was received is handled, then the run is finished in
    /// the store with its summary.
    public static func run(config: AppConfig, symbols: [Symbol], feed: any MarketDataFeed, barInterval: Duration, clock: any TradingClock,
                           eventClock: ManualClock?, timerInterval: Duration?, store: any TradeStore,
                           alerting: any Alerting, observer: (any RuntimeObserver)? = nil,
                           period: (start: Timestamp, end: Timestamp)? = nil, history: PaperHistory? = nil,
                           until stop: (@Sendable () async -> Void)? = nil) async throws -> PaperRunResult {
        let strategy = try TraderBuilder(config).strategySettings("paper trading")
        guard !symbols.isEmpty else {
            throw StartupError(.data, "name the symbols to paper-trade (--symbols LINKUSDT,...)", field: "--symbols")
        }
        let choice = try StrategyChoice(strategy, symbols: symbols, barInterval: barInterval, period: period ?? (clock.now, clock.now))
        return try await run(config: config, choice: choice, symbols: symbols, feed: feed, barInterval: barInterval, clock: clock,
                             eventClock: eventClock, timerInterval: timerInterval, store: store, alerting: alerting, observer: observer,
                             history: history, until: stop)
    }

    /// `run` with the strategy already resolved (`TraderBuilder` resolves it once).
    static func run(config: AppConfig, choice: StrategyChoice, symbols: [Symbol], feed: any MarketDataFeed, barInterval: Duration,
                    clock: any TradingClock, eventClock: ManualClock?, timerInterval: Duration?, store: any TradeStore,
                    alerting: any Alerting, observer: (any RuntimeObserver)?, history: PaperHistory?,
                    until stop: (@Sendable () async -> Void)?) async throws -> PaperRunResult {
        let strategy = try TraderBuilder(config).strategySettings("paper trading")
        let source: PriceEvent.Source = config.exit.priceSource.priceEventSource
        let built = try makeRuntime(config: config, strategy: strategy, choice: choice, symbols: symbols, interval: barInterval, clock: clock,
                                    priceSource: source, store: store, alerting: alerting,
                                    detail: "on live market data: \(symbols.map(\.name).joined(separator: ","))")
        if let history {
            let source = BinanceRESTClient(transport: history.transport, credentials: nil, clock: clock, logger: history.logger)
            await HistoryBackfill(plan: built.warmUpPlan, source: source, logger: history.logger, pause: history.pause, sleep: history.sleep)
                .run(symbols: symbols, into: built.runtime)
        }
        try await built.runtime.reconcile()
        let client = built.client
        let follow: @Sendable (MarketEvent) -> Void = { event in
            eventClock?.set(event.time)
            client.follow(event, priceSource: source)
        }
        if let stop {
            try await runUntil(stop, built.runtime, market: feed.events(symbols: symbols), timerInterval: timerInterval, observer: observer,
                               follow: follow)
        } else {
            try await built.runtime.run(market: feed.events(symbols: symbols), timerInterval: timerInterval, commands: nil, observer: observer,
                                        beforeMarket: follow)
        }
        return try await finish(built, symbols: symbols, store: store, clock: clock)
    }

    /// The stop request ended the session's market data.
    struct Stopped: Error {}

    /// Runs `runtime` on `market` until the market ends or `stop` returns; then the market the
    /// runtime reads ends with `Stopped` (its loop stops after the inputs already queued) and
    /// this returns normally.
    static func runUntil(_ stop: @escaping @Sendable () async -> Void, _ runtime: any RealTimeRuntime,
                         market: AsyncThrowingStream<MarketEvent, any Error>, timerInterval: Duration?,
                         observer: (any RuntimeObserver)?, follow: @escaping @Sendable (MarketEvent) -> Void) async throws {
        let (stoppable, continuation) = AsyncThrowingStream<MarketEvent, any Error>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await event in market { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            group.addTask {
                await stop()
                continuation.finish(throwing: Stopped())
            }
            do {
                try await runtime.run(market: stoppable, timerInterval: timerInterval, commands: nil, observer: observer, beforeMarket: follow)
            } catch is Stopped {}
            group.cancelAll()
        }
    }

    /// The public klines of the Binance(-compatible) REST API at `restURL` (no keys), for the
    /// warm-up of `qt paper --venue`; waits with `Task.sleep`.
    public static func venueHistory(restURL: String, logger: Logger = Logger(label: "qt.paper")) -> PaperHistory {
        PaperHistory(transport: AsyncHTTPClientTransport(client: HTTPClient.shared, baseURL: restURL), logger: logger,
                     pause: { try? await Task.sleep(for: $0) }, sleep: { try await Task.sleep(for: $0) })
    }

    /// The REST base URL serving the klines of the market streams at `websocketURL`: Binance's
    /// stream hosts map to their API hosts (`wss://fstream.binance.com` → `https://fapi.binance.com`,
    /// the testnet's `wss://stream.binancefuture.com` → `https://testnet.binancefuture.com`); any other
    /// host (a local venue) serves both on one port: `ws://` → `http://`, `wss://` → `https://`, path dropped.
    public static func restURL(forStreams websocketURL: String) -> String? {
        var text = websocketURL
        while text.hasSuffix("/") { text.removeLast() }
        if text == "wss://fstream.binance.com" || text.hasPrefix("wss://fstream.binance.com/") { return "https://fapi.binance.com" }
        if text == "wss://stream.binancefuture.com" || text.hasPrefix("wss://stream.binancefuture.com/") {
            return "https://testnet.binancefuture.com"
        }
        let scheme: String
        if text.hasPrefix("ws://") { scheme = "http://" } else if text.hasPrefix("wss://") { scheme = "https://" } else { return nil }
        let rest = text.dropFirst(scheme == "http://" ? 5 : 6)
        let host = rest.prefix { $0 != "/" }
        return host.isEmpty ? nil : scheme + host
    }

    /// Binance(-compatible) combined market streams at `websocketURL` (mark price 1 s, trades,
    /// 1 m klines), reconnecting with back-off.
    public static func venueFeed(websocketURL: String, clock: any TradingClock, logger: Logger = Logger(label: "qt.paper")) -> any MarketDataFeed {
        BinanceMarketDataFeed(urls: BinanceStreamURLs(base: websocketURL), connector: WSClientConnector(logger: logger), clock: clock, seed: 1,
                              logger: logger, sleep: { try await Task.sleep(for: $0) })
    }

    // MARK: - Composition

    struct BuiltRuntime {
        let runtime: any RealTimeRuntime
        /// The simulated venue; it follows the market data (`follow`) on the runtime's loop.
        let client: SimulatedExecutionClient
        let runID: Int64
        let manualHalt: RiskEventRecord?
        /// The strategy's lines (`ml-ensemble`: model, windows, in-sample warning).
        let notes: [String]
        /// The history a warm start back-fills (`qt paper --venue`).
        let warmUpPlan: WarmUpPlan
    }

    /// `strategy/gate/policy`, the label runs carry in the store (as backtests do); `name` is the
    /// strategy's label (`ml-ensemble@<model version>`).
    static func label(_ config: AppConfig, _ strategy: StrategySettings, name: String? = nil) -> String {
        "\(name ?? strategy.name.rawValue)/\(strategy.entryGate.rawValue)/\(config.execution.policy.rawValue)"
    }

    /// The configuration's strategy (resolved by `StrategyChoice`: for `ml-ensemble` the model
    /// checked for `symbols`, `interval` and the period, as `qt backtest` checks it), gate and exit
    /// owner (`TradingWiring`) in a `LiveRuntime` over the simulated exchange; the run is begun
    /// in the store only once everything is built. `detail` follows the label in the run's
    /// description.
    static func makeRuntime(config: AppConfig, strategy: StrategySettings, choice: StrategyChoice, symbols: [Symbol], interval: Duration,
                            clock: any TradingClock, priceSource: PriceEvent.Source, store: any TradeStore, alerting: any Alerting,
                            detail: String) throws -> BuiltRuntime {
        try choice.visit(PaperMakerVisitor(config: config, strategy: strategy, symbols: symbols, interval: interval, clock: clock,
                                           priceSource: priceSource, store: store, alerting: alerting, detail: detail))
    }

    fileprivate static func makeRuntime<Maker: StrategyMaker>(config: AppConfig, strategy: StrategySettings, maker: Maker, symbols: [Symbol],
                                                          interval: Duration, clock: any TradingClock,
                                                          priceSource: PriceEvent.Source, store: any TradeStore, alerting: any Alerting,
                                                          detail: String) throws -> BuiltRuntime {
        let settings = config.backtest
        let instruments = try symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let wiring = try TradingWiring(config: config, strategy: strategy, interval: interval, start: clock.now, store: store)
        let exchange = SimulatedExchangeSettings(fees: settings.fees, slippageBasisPoints: Int64(settings.slippageBasisPoints),
                                                 latency: settings.latency, enforcePrecision: settings.enforcePrecision,
                                                 defaultLeverage: settings.defaultLeverage)
        let client = SimulatedExecutionClient(
            exchange: SimulatedExchange(instruments: instruments, initialBalance: settings.initialBalance, settings: exchange), clock: clock)
        let inbox = ExecutionInbox()
        client.observe { inbox.append(contentsOf: $0) }
        let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: clock.now, configHash: config.fingerprint,
                                                 detail: "\(label(config, strategy, name: maker.label)) \(detail)"))
        let builder = PaperRuntimeBuilder(
            instruments: instruments, maker: maker,
            initialBalance: settings.initialBalance, equitySampleInterval: settings.equitySampleInterval, client: client, inbox: inbox,
            store: store, runID: runID, alerting: alerting, clock: clock,
            settings: LiveRuntimeSettings(runTag: "pp", priceSource: priceSource))
        let runtime: any RealTimeRuntime
        do { runtime = try wiring.compose(builder).get() } catch {
            try? store.finishRun(id: runID, finishedAt: clock.now, summaryJSON: "{\"refused\":true}")
            throw error
        }
        let plan = maker.warmUpPlan(validation: strategy.entryGate == .validator ? config.validation : nil, symbols: symbols)
        return BuiltRuntime(runtime: runtime, client: client, runID: runID, manualHalt: wiring.manualHalt, notes: maker.notes, warmUpPlan: plan)
    }

    static func finish(_ built: BuiltRuntime, symbols: [Symbol], store: any TradeStore, clock: any TradingClock) async throws -> PaperRunResult {
        let trades = await built.runtime.trades
        let net = trades.reduce(Money.zero) { $0 + $1.netPnL }
        try store.finishRun(id: built.runID, finishedAt: clock.now, summaryJSON: "{\"trades\":\(trades.count),\"net_pnl\":\"\(net)\"}")
        var result = PaperRunResult(runID: built.runID, symbols: symbols, trades: trades, alerts: await built.runtime.alerts,
                                    walletBalance: await built.runtime.walletBalance, notes: built.notes)
        if let halt = built.manualHalt {
            result.notes.append("the store's risk state is HALTED (manual, \(halt.detail)): every new entry of this run was refused; "
                                + "`qt risk resume --db FILE --reason TEXT` lifts it")
        }
        return result
    }
}

/// `PaperRunner.makeRuntime` for the maker the configuration named.
private struct PaperMakerVisitor: StrategyMakerVisitor {
    let config: AppConfig
    let strategy: StrategySettings
    let symbols: [Symbol]
    let interval: Duration
    let clock: any TradingClock
    let priceSource: PriceEvent.Source
    let store: any TradeStore
    let alerting: any Alerting
    let detail: String

    func visit<Maker: StrategyMaker>(_ maker: Maker) throws -> PaperRunner.BuiltRuntime {
        try PaperRunner.makeRuntime(config: config, strategy: strategy, maker: maker, symbols: symbols, interval: interval, clock: clock,
                                    priceSource: priceSource, store: store, alerting: alerting, detail: detail)
    }
}

/// Builds the paper runtime (kernel of the maker's strategies, simulated execution) around the
/// composed gate and exit owner. The strategies are made here, for this runtime only.
private struct PaperRuntimeBuilder<Maker: StrategyMaker>: TradingWiringVisitor {
    let instruments: [Instrument]
    let maker: Maker
    let initialBalance: Money
    let equitySampleInterval: Duration
    let client: SimulatedExecutionClient
    let inbox: ExecutionInbox
    let store: any TradeStore
    let runID: Int64
    let alerting: any Alerting
    let clock: any TradingClock
    let settings: LiveRuntimeSettings

    func visit<Gate: EntryGate & Sendable, Exit: PositionExitOwner & Sendable>(
        _ parts: RuntimeParts<Gate, Exit>
    ) -> Result<any RealTimeRuntime, any Error> {
        let strategies: [Maker.Strategy]
        do { strategies = try maker.makeStrategies(symbols: instruments.map(\.symbol)) } catch { return .failure(error) }
        let kernel = parts.makeKernel(instruments: instruments, strategies: strategies, initialBalance: initialBalance,
                                      equitySampleInterval: equitySampleInterval, runTag: "pp")
        return .success(parts.makeRuntime(kernel: kernel, client: client, inbox: inbox, store: store, runID: runID,
                                          alerting: alerting, clock: clock, settings: settings))
    }
}
