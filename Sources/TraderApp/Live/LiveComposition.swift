import Backtest
import TradingEngine
import TradingModel

/// The live runtime of a configuration, from the shared `TradingWiring` (the factory `qt
/// backtest` and `qt paper` use) restricted to what may trade live money
/// (`LivePreflight.tradingRules`): `ema-cross` signals → `ValidatorGate` (`PreTradeValidator`:
/// `[validation]`, `[sizing]`, `[risk]`, the `ExitBrain` planner) → `ExitExecutor` (`[exit]`)
/// with the `Watchdog` (`[watchdog]`) beside the kernel.
///
/// For `LiveSession.run(makeRuntime:)`: build this before the session (a refused configuration
/// never opens one), then in `makeRuntime` return
/// `composition.makeRuntime(instruments: session.instruments, client: session.client, …)`.
/// The store's manual halt (`qt risk halt`) is read here and halts the validator's `RiskEngine`
/// from `start`; prices drive exits per `[execution] trigger_price_source` (mark or last trade).
struct LiveComposition: Sendable {
    typealias Kernel = TradingKernel<EMACrossStrategy, ValidatorGate, ExitExecutor>
    typealias Runtime = LiveRuntime<EMACrossStrategy, ValidatorGate, ExitExecutor>

    let strategy: StrategySettings
    let parts: RuntimeParts<ValidatorGate, ExitExecutor>
    /// The store's manual halt applied to this session (nil: active).
    let manualHalt: RiskEventRecord?
    /// `[account] initial_balance`: the runtime's own wallet ledger starts here.
    let initialBalance: Money
    let equitySampleInterval: Duration
    let priceSource: PriceEvent.Source
    /// `[validation]`, for the history back-fill's length (`warmUpPlan`).
    let validation: ValidationSettings

    /// - Parameters:
    ///   - barInterval: the strategy's bar interval (closed klines of this interval call `onBar`).
    ///   - start: when the session starts (a manual halt applies from then).
    ///   - store: the trade store (nil in the preflight: no manual state read).
    init(config: AppConfig, barInterval: Duration, start: Timestamp, store: (any TradeStore)?) throws(LiveRuntimeError) {
        strategy = try LivePreflight.tradingRules(config)
        let wiring: TradingWiring
        do { wiring = try TradingWiring(config: config, strategy: strategy, interval: barInterval, start: start, store: store) } catch {
            throw LiveRuntimeError("cannot build the live entry gate and exit owner: \(error)")
        }
        parts = wiring.parts(gate: wiring.validatorGate, makeExit: wiring.makeExecutor)
        manualHalt = wiring.manualHalt
        initialBalance = config.backtest.initialBalance
        equitySampleInterval = config.backtest.equitySampleInterval
        priceSource = config.execution.triggerPriceSource == .markPrice ? .markPrice : .lastTrade
        validation = config.validation
    }

    /// The history back-fill for `symbols`: what `[validation]` and the strategy's slow EMA need.
    func warmUpPlan(symbols: [Symbol]) -> WarmUpPlan {
        WarmUpPlan(validation: validation, strategySlowPeriod: strategy.slowPeriod, symbols: symbols)
    }

    /// The kernel over the venue's `instruments` (one `ema-cross` strategy each).
    func makeKernel(instruments: [Instrument], runTag: String = "lv", initialBalance: Money? = nil) -> Kernel {
        parts.makeKernel(instruments: instruments,
                         strategies: instruments.map { EMACrossStrategy(symbol: $0.symbol, fastPeriod: strategy.fastPeriod, slowPeriod: strategy.slowPeriod) },
                         initialBalance: initialBalance ?? self.initialBalance, equitySampleInterval: equitySampleInterval, runTag: runTag)
    }

    /// The live runtime over `client` (the session's venue client; its stream delivers the
    /// reports), in streams mode, with the exit planner for reconciliation and the watchdog.
    func makeRuntime(instruments: [Instrument], client: any ExecutionClient, store: any TradeStore, runID: Int64, alerting: any Alerting,
                     clock: any TradingClock, runTag: String = "lv", initialBalance: Money? = nil) -> Runtime {
        parts.makeRuntime(kernel: makeKernel(instruments: instruments, runTag: runTag, initialBalance: initialBalance), client: client, venue: nil, inbox: ExecutionInbox(),
                          store: store, runID: runID, alerting: alerting, clock: clock, replayClock: nil,
                          settings: LiveRuntimeSettings(runTag: runTag, priceDriving: .streams(priceSource)))
    }
}
