import Synchronization
import AsyncHTTPClient
import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// The live trading session `TraderBuilder.build(.live)` made, its strategy's type erased for
/// the `Trader` that runs it: the composition of the configuration's
/// strategy (`ema-cross`, or `ml-ensemble` with its checked model) → `PreTradeValidator` →
/// `ExitExecutor` + backstop, watchdog, built once before the venue is asked anything; `run`
/// opens the Binance (or Binance-compatible) session at the plan's URLs and trades until its
/// stop request returns. The run is recorded in the store; positions left open stay protected
/// by their exchange-side backstops.
struct LiveTradingSession: Sendable {
    private let start: @Sendable (_ alerting: any Alerting, _ observer: (any RuntimeObserver)?,
                                  _ stop: @escaping @Sendable () async -> Void) async throws -> LiveRunResult

    /// The session's lanes, streams and timer, run by the trader's group beside it.
    let services: LiveSessionServices

    init(config: AppConfig, plan: VenueAccess, symbols: [Symbol], choice: StrategyChoice, store: any TradeStore, runTag: String,
         environment: TraderEnvironment) throws(StartupError) {
        services = LiveSessionServices(logger: environment.logger)
        let visitor = Visitor(config: config, plan: plan, symbols: symbols, store: store, runTag: runTag, environment: environment,
                              services: services)
        do { start = try choice.visit(visitor) } catch let error as StartupError { throw error } catch {
            throw StartupError(.configuration, "cannot build the live session: \(error)", cause: error)
        }
    }

    /// Opens the session and trades until `stop` returns (start-up failures throw `StartupError`).
    func run(alerting: any Alerting, observer: (any RuntimeObserver)?,
             until stop: @escaping @Sendable () async -> Void) async throws -> LiveRunResult {
        try await start(alerting, observer, stop)
    }

    private struct Visitor: StrategyMakerVisitor {
        let config: AppConfig
        let plan: VenueAccess
        let symbols: [Symbol]
        let store: any TradeStore
        let runTag: String
        let environment: TraderEnvironment
        let services: LiveSessionServices

        func visit<Maker: StrategyMaker>(_ maker: Maker) throws
            -> @Sendable (any Alerting, (any RuntimeObserver)?, @escaping @Sendable () async -> Void) async throws -> LiveRunResult {
            let composition = try LiveComposition(config: config, maker: maker, barInterval: .seconds(60), start: environment.clock.now,
                                                  store: store)
            let (config, plan, symbols, store, runTag, environment, services) = (config, plan, symbols, store, runTag, environment, services)
            return { alerting, observer, stop in
                try await composition.run(config: config, plan: plan, symbols: symbols, store: store, alerting: alerting,
                                          environment: environment, observer: observer, runTag: runTag, services: services, until: stop)
            }
        }
    }
}

extension LiveComposition {
    /// Records the run, opens the `LiveSession` over the plan's venue with this composition's
    /// runtime and trades until `shutdown` returns.
    func run(config: AppConfig, plan: VenueAccess, symbols: [Symbol], store: any TradeStore, alerting: any Alerting,
             environment: TraderEnvironment, observer: (any RuntimeObserver)?, runTag: String, services: LiveSessionServices?,
             until shutdown: @escaping @Sendable () async -> Void) async throws(StartupError) -> LiveRunResult {
        let clock = environment.clock, logger = environment.logger
        let runID: Int64
        do {
            runID = try store.beginRun(RunRecord(kind: .live, startedAt: clock.now, configHash: config.fingerprint,
                                                 detail: "\(maker.label)/validator/exit-engine live on \(plan.network.rawValue): "
                                                     + symbols.map(\.name).joined(separator: ",")))
        } catch {
            throw StartupError(.store, "cannot record the live run in the store: \(error)", field: "[storage]", cause: error)
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
        var session = LiveSession<Maker.Strategy, PreTradeValidator, ExitExecutor>(
            transport: environment.transport ?? AsyncHTTPClientTransport(client: HTTPClient.shared, baseURL: plan.restURL),
            websocketURL: plan.websocketURL, connector: environment.connector ?? WSClientConnector(logger: logger), credentials: plan.credentials,
            symbols: symbols, clock: clock, timerInterval: environment.timerInterval, seed: UInt64(clock.now.milliseconds), logger: logger,
            sleep: { try await Task.sleep(for: $0) }, pause: { try? await Task.sleep(for: $0) },
            observer: sessionObserver,
            warmUp: warmUpPlan(symbols: symbols), exitTimeout: .seconds(5))
        session.services = services
        logger.notice("live.session", metadata: [
            "live.network": "\(plan.network.rawValue)", "live.rest_host": "\(LiveSettings.host(of: plan.restURL) ?? plan.restURL)",
            "live.stream_host": "\(LiveSettings.host(of: plan.websocketURL) ?? plan.websocketURL)", "live.run_tag": "\(runTag)",
        ])
        let summary: LiveSession<Maker.Strategy, PreTradeValidator, ExitExecutor>.Summary
        do {
            summary = try await session.run(makeRuntime: { opened in
                // The ledger, the risk engine's equity and risk-based sizing start from the account's
                // real wallet, not from `[account] initial_balance` (a backtest setting).
                logger.info("live.wallet_balance", metadata: ["live.usdt": "\(opened.walletBalance)"])
                let runtime = try makeRuntime(instruments: opened.instruments, client: opened.client, store: store, runID: runID,
                                              alerting: alerting, clock: opened.clock, runTag: runTag, initialBalance: opened.walletBalance)
                built.runtime = runtime
                return runtime
            }, until: shutdown)
        } catch {
            throw StartupError(.venue, error.message, cause: error)
        }
        let net = summary.trades.reduce(Money.zero) { $0 + $1.netPnL }
        try? store.finishRun(id: runID, finishedAt: clock.now, summaryJSON: "{\"trades\":\(summary.trades.count),\"net_pnl\":\"\(net)\"}")
        var notes = maker.notes
        if let halt = manualHalt {
            notes.append("the store's risk state is HALTED (manual, \(halt.detail)): no new entries were taken; "
                         + "`qt risk resume --db FILE --reason TEXT` lifts it")
        }
        if !summary.openPositions.isEmpty {
            notes.append("\(summary.openPositions.count) position(s) left open, protected by their exchange-side backstops")
        }
        return LiveRunResult(runID: runID, trades: summary.trades, openPositions: summary.openPositions,
                             walletBalance: await summary.runtime.walletBalance, notes: notes)
    }
}

/// The runtime a live session built, for its observer (set once, read after each input).
/// A lock-protected box (`@unchecked Sendable`: `value` is accessed under `lock`).
final class RuntimeBox: @unchecked Sendable {
    private let lock = Mutex(())
    private var value: (any RealTimeRuntime)?
    var runtime: (any RealTimeRuntime)? {
        get { lock.withLock { _ in value } }
        set { lock.withLock { _ in value = newValue } }
    }
}
