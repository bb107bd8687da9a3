import Backtest
import TradingEngine
import TradingModel

/// The live runtime of a configuration, from the shared `TradingWiring` (the factory `qt
/// backtest` and `qt paper` use) restricted to what may trade live money
/// (`TraderBuilder.liveTradingRules`): the strategy's signals (`ema-cross`, or `ml-ensemble` with the
/// model's calibrated confidence) → `PreTradeValidator` (`[validation]`,
/// `[sizing]`, `[risk]`, the `ExitBrain` planner) → `ExitExecutor` (`[exit]`) with the
/// `Watchdog` (`[watchdog]`) beside the kernel.
///
/// Built once by `TraderBuilder.build(.live)` before the session (a refused configuration, or a
/// missing or mismatched model, never opens one); `LiveTradingSession` then returns
/// `composition.makeRuntime(instruments: session.instruments, client: session.client, …)` from
/// `LiveSession.run(makeRuntime:)`.
/// The store's manual halt (`qt risk halt`) is read here and halts the validator's `RiskEngine`
/// from `start`; prices drive exits per `[exit] price_source` (mark or last trade).
struct LiveComposition<Maker: StrategyMaker>: Sendable {
    typealias Kernel = TradingKernel<Maker.Strategy, PreTradeValidator, ExitExecutor>
    typealias Runtime = LiveRuntime<Maker.Strategy, PreTradeValidator, ExitExecutor>

    let strategy: StrategySettings
    /// Makes the per-symbol strategies (checked before any venue call).
    let maker: Maker
    let parts: RuntimeParts<PreTradeValidator, ExitExecutor>
    /// The store's manual halt applied to this session (nil: active).
    let manualHalt: RiskEventRecord?
    /// `[account] initial_balance`: the runtime's own wallet ledger starts here.
    let initialBalance: Money
    let equitySampleInterval: Duration
    let priceSource: PriceEvent.Source
    /// `[validation]`, for the history back-fill's length (`warmUpPlan`).
    let validation: ValidationSettings

    /// - Parameters:
    ///   - maker: the strategy the configuration names (`LiveComposition.make` picks it).
    ///   - barInterval: the strategy's bar interval (closed klines of this interval call `onBar`).
    ///   - start: when the session starts (a manual halt applies from then).
    ///   - store: the trade store (nil in the preflight: no manual state read).
    init(config: AppConfig, maker: Maker, barInterval: Duration, start: Timestamp, store: (any TradeStore)?) throws(StartupError) {
        strategy = try TraderBuilder(config).liveTradingRules()
        self.maker = maker
        let wiring = try TradingWiring(config: config, strategy: strategy, interval: barInterval, start: start, store: store)
        parts = wiring.parts(gate: wiring.validatorGate, makeExit: wiring.makeExecutor)
        manualHalt = wiring.manualHalt
        initialBalance = config.backtest.initialBalance
        equitySampleInterval = config.backtest.equitySampleInterval
        priceSource = config.exit.priceSource.priceEventSource
        validation = config.validation
    }

    /// The history back-fill for `symbols`: what `[validation]` and the strategy need.
    func warmUpPlan(symbols: [Symbol]) -> WarmUpPlan {
        maker.warmUpPlan(validation: validation, symbols: symbols)
    }

    /// The kernel over the venue's `instruments` (one strategy each).
    func makeKernel(instruments: [Instrument], runTag: String = "lv", initialBalance: Money? = nil) throws -> Kernel {
        parts.makeKernel(instruments: instruments, strategies: try maker.makeStrategies(symbols: instruments.map(\.symbol)),
                         initialBalance: initialBalance ?? self.initialBalance, equitySampleInterval: equitySampleInterval, runTag: runTag)
    }

    /// The live runtime over `client` (the session's venue client; its stream delivers the
    /// reports), in streams mode, with the exit planner for reconciliation and the watchdog.
    func makeRuntime(instruments: [Instrument], client: any ExecutionClient, store: any TradeStore, runID: Int64, alerting: any Alerting,
                     clock: any TradingClock, runTag: String = "lv", initialBalance: Money? = nil) throws -> Runtime {
        let kernel = try makeKernel(instruments: instruments, runTag: runTag, initialBalance: initialBalance)
        return parts.makeRuntime(kernel: kernel, client: client, inbox: ExecutionInbox(),
                                 store: store, runID: runID, alerting: alerting, clock: clock,
                                 settings: LiveRuntimeSettings(runTag: runTag, priceSource: priceSource))
    }
}

extension LiveComposition where Maker == EMACrossMaker {
    /// The composition of an `ema-cross` configuration (refused for any other strategy).
    init(config: AppConfig, barInterval: Duration, start: Timestamp, store: (any TradeStore)?) throws(StartupError) {
        let strategy = try TraderBuilder(config).liveTradingRules()
        guard strategy.name == .emaCross else {
            throw StartupError(.configuration, "this composition runs ema-cross; the configuration names \(strategy.name.rawValue)",
                               field: "[strategy] name")
        }
        try self.init(config: config, maker: EMACrossMaker(strategy), barInterval: barInterval, start: start, store: store)
    }
}
