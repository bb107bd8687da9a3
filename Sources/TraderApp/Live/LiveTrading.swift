import AsyncHTTPClient
import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// Composition root of `qt live`: after `LivePreflight.check` passed, opens the Binance (or
/// Binance-compatible) session at the plan's URLs and runs the configuration's `LiveComposition`
/// (`ema-cross` or `ml-ensemble` → `PreTradeValidator` → `ExitExecutor` + backstop, watchdog) in a `LiveSession`
/// until `shutdown` returns. The run is recorded in the store; positions left open stay
/// protected by their exchange-side backstops.
public enum LiveTrading {
    /// What a live session left behind.
    public struct Result: Sendable {
        public var runID: Int64
        public var trades: [ClosedTrade]
        public var openPositions: [Position]
        /// The runtime's wallet at the end (it starts from the account's USDT wallet).
        public var walletBalance: Money
        public var notes: [String]
    }

    /// - Parameters:
    ///   - symbols: the symbols to trade (each gets the configured strategy on closed 1 m klines;
    ///     `ml-ensemble` feeds all of them to one feature pipeline).
    ///   - transport: the REST transport; nil = AsyncHTTPClient's shared client at `plan.restURL`.
    ///   - connector: the WebSocket connector; nil = `WSClientConnector`.
    ///   - observer: sees the runtime's state after every input (the alert rules); nil: none.
    ///   - runTag: the session's client-order-id run tag (`LiveLock.runTag`); nil = `runTag(start:)`.
    public static func run(config: AppConfig, plan: LivePreflight.Plan, symbols: [Symbol], store: any TradeStore, alerting: any Alerting,
                           clock: any TradingClock = SystemClock(), transport: (any HTTPTransport)? = nil,
                           connector: (any WebSocketConnector)? = nil, logger: Logger = Logger(label: "qt.live"),
                           timerInterval: Duration = .seconds(1), observer: (any RuntimeObserver)? = nil, runTag: String? = nil,
                           until shutdown: @escaping @Sendable () async -> Void) async throws(LiveRuntimeError) -> Result {
        guard !symbols.isEmpty else { throw LiveRuntimeError("qt live needs at least one symbol (--symbols A,B)") }
        // The strategy (for ml-ensemble: the model, loaded and checked) before any venue call.
        let strategy = try LivePreflight.tradingRules(config)
        switch strategy.name {
        case .emaCross:
            let composition = try LiveComposition(config: config, maker: EMACrossMaker(strategy), barInterval: .seconds(60), start: clock.now,
                                                  store: store)
            return try await run(composition, config: config, plan: plan, symbols: symbols, store: store, alerting: alerting, clock: clock,
                                 transport: transport, connector: connector, logger: logger, timerInterval: timerInterval, observer: observer,
                                 runTag: runTag,
                                 until: shutdown)
        case .mlEnsemble:
            let maker = try MLEnsembleMaker.live(strategy: strategy, symbols: symbols, start: clock.now)
            let composition = try LiveComposition(config: config, maker: maker, barInterval: .seconds(60), start: clock.now, store: store)
            return try await run(composition, config: config, plan: plan, symbols: symbols, store: store, alerting: alerting, clock: clock,
                                 transport: transport, connector: connector, logger: logger, timerInterval: timerInterval, observer: observer,
                                 runTag: runTag,
                                 until: shutdown)
        }
    }

    private static func run<Maker: StrategyMaker>(_ composition: LiveComposition<Maker>, config: AppConfig, plan: LivePreflight.Plan,
                                                  symbols: [Symbol], store: any TradeStore, alerting: any Alerting, clock: any TradingClock,
                                                  transport: (any HTTPTransport)?, connector: (any WebSocketConnector)?, logger: Logger,
                                                  timerInterval: Duration, observer: (any RuntimeObserver)?, runTag: String?,
                                                  until shutdown: @escaping @Sendable () async -> Void) async throws(LiveRuntimeError) -> Result {
        let runID: Int64
        do {
            runID = try store.beginRun(RunRecord(kind: .live, startedAt: clock.now, configHash: config.fingerprint,
                                                 detail: "\(composition.maker.label)/validator/exit-engine live on \(plan.network.rawValue): "
                                                     + symbols.map(\.name).joined(separator: ",")))
        } catch {
            throw LiveRuntimeError("cannot record the live run in the store: \(error)")
        }
        // The observer sees the runtime's state after each input; the runtime is built inside the session.
        let built = RuntimeBox()
        var sessionObserver: (@Sendable (RuntimeInput) async -> Void)?
        if let observer {
            sessionObserver = { input in
                guard let runtime = built.runtime else { return }
                let state = await runtime.state
                _ = await observer.handled(input, state: state)
            }
        }
        let session = LiveSession<Maker.Strategy, PreTradeValidator, ExitExecutor>(
            transport: transport ?? AsyncHTTPClientTransport(client: HTTPClient.shared, baseURL: plan.restURL),
            websocketURL: plan.websocketURL, connector: connector ?? WSClientConnector(logger: logger), credentials: plan.credentials,
            symbols: symbols, clock: clock, timerInterval: timerInterval, seed: UInt64(clock.now.milliseconds), logger: logger,
            sleep: { try await Task.sleep(for: $0) }, pause: { try? await Task.sleep(for: $0) },
            observer: sessionObserver,
            warmUp: composition.warmUpPlan(symbols: symbols), exitTimeout: .seconds(5))
        let runTag = runTag ?? Self.runTag(start: clock.now)
        logger.notice("live.session", metadata: [
            "live.network": "\(plan.network.rawValue)", "live.rest_host": "\(LiveSettings.host(of: plan.restURL) ?? plan.restURL)",
            "live.stream_host": "\(LiveSettings.host(of: plan.websocketURL) ?? plan.websocketURL)", "live.run_tag": "\(runTag)",
        ])
        let summary = try await session.run(makeRuntime: { opened in
            // The ledger, the risk engine's equity and risk-based sizing start from the account's
            // real wallet, not from `[account] initial_balance` (a backtest setting).
            logger.info("live.wallet_balance", metadata: ["live.usdt": "\(opened.walletBalance)"])
            let runtime = try composition.makeRuntime(instruments: opened.instruments, client: opened.client, store: store, runID: runID,
                                                      alerting: alerting, clock: opened.clock, runTag: runTag, initialBalance: opened.walletBalance)
            built.runtime = runtime
            return runtime
        }, until: shutdown)
        let net = summary.trades.reduce(Money.zero) { $0 + $1.netPnL }
        try? store.finishRun(id: runID, finishedAt: clock.now, summaryJSON: "{\"trades\":\(summary.trades.count),\"net_pnl\":\"\(net)\"}")
        var notes = composition.maker.notes
        if let halt = composition.manualHalt {
            notes.append("the store's risk state is HALTED (manual, \(halt.detail)): no new entries were taken; "
                         + "`qt risk resume --db FILE --reason TEXT` lifts it")
        }
        if !summary.openPositions.isEmpty {
            notes.append("\(summary.openPositions.count) position(s) left open, protected by their exchange-side backstops")
        }
        return Result(runID: runID, trades: summary.trades, openPositions: summary.openPositions,
                      walletBalance: await summary.runtime.walletBalance, notes: notes)
    }

    /// The client-order-id run tag of a live session: its start second modulo 36⁵ in base 36,
    /// five characters (the kernel's limit: owners and the watchdog extend it). Client ids restart
    /// at 1 in every process, so the tag must differ between sessions: a restarted bot reusing the
    /// dead one's ids would find the old orders when it resolves an unknown outcome by client id.
    /// The store's run id is not enough (a new store file starts at 1 again against the same
    /// account); sessions started in different seconds get different tags for 36⁵ s (≈ 1.9 years).
    public static func runTag(start: Timestamp) -> String {
        let digits = String(max(start.milliseconds / 1000, 0) % 60_466_176, radix: 36)
        return String(repeating: "0", count: 5 - digits.count) + digits
    }
}

/// The runtime a live session built, for its observer (set once, read after each input).
/// A lock-protected box (`@unchecked Sendable`: `value` is accessed under `lock`).
final class RuntimeBox: @unchecked Sendable {
    private let lock = Mutex()
    private var value: (any RealTimeRuntime)?
    var runtime: (any RealTimeRuntime)? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
