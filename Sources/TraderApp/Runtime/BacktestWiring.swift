import Backtest
import TradingEngine
import TradingModel

/// What a backtest's configuration names, built before the replay (fail closed: every part is
/// named in the configuration, none is a default):
/// - `[execution] policy`: `exit-engine` → an `ExitExecutor` per position (`[exit]`), a `.timer`
///   at every bar close and the `Watchdog` (`[watchdog]`) in the runtime; `reference-bracket` →
///   `FixedBracketExit`.
/// - `[strategy] entry_gate`: `validator` → `PreTradeValidator` (`[validation]`, `[sizing]`,
///   `[risk]`) planning with the `ExitBrain`; `fixed-notional` → the benchmark sizer (with the
///   `ExitBrain`'s plan under the exit engine).
/// - The store's manual risk state (`qt risk halt`): a HALTED store blocks every new entry of
///   the run (in the validator's `RiskEngine`, or by `ManualHaltGate` for the sizer).
struct BacktestWiring {
    let policy: ExecutionPolicy
    let entryGate: StrategySettings.EntryGateName
    let brain: ExitBrain
    let exitSettings: ExitSettings
    let validation: ValidationCore?
    let runtime: BacktestRuntime
    let fixed: FixedNotionalEntryGate.Settings
    let bracket: FixedBracketExit.Settings
    /// The store's latest manual record when it is a halt (applied to this run's entries).
    let manualHalt: RiskEventRecord?

    var exitEngine: Bool { policy == .exitEngine }

    /// - Parameters:
    ///   - start: time of the first bar (the manual halt is applied then).
    init(config: AppConfig, strategy: StrategySettings, instruments: [Instrument], interval: Duration, start: Timestamp,
         store: (any TradeStore)?) throws {
        policy = config.execution.policy
        entryGate = strategy.entryGate
        do { brain = try ExitBrain(settings: config.exit) } catch { throw BacktestRunError("[exit]: \(error)") }
        exitSettings = config.exit
        let halt = try store.flatMap { try ManualRiskState.latest(in: $0) }
        manualHalt = halt?.state == "halted" ? halt : nil
        if strategy.entryGate == .validator {
            let core = ValidationCore(validator: PreTradeValidator(settings: config.validation, riskSettings: config.risk, planner: brain),
                                      feeRate: config.backtest.fees.takerRate)
            if let manualHalt {
                core.pendingRiskActions += core.validator.onRisk(.halt(by: "store", reason: "manual halt in the store (\(manualHalt.detail))", time: start))
            }
            validation = core
        } else {
            validation = nil
        }
        let watchdog = policy == .exitEngine ? Watchdog(settings: config.watchdog, orderIDs: ClientOrderIDGenerator(runTag: "btwd")) : nil
        runtime = BacktestRuntime(instruments: instruments, exitSettings: config.exit, watchdog: watchdog, validation: validation)
        fixed = FixedNotionalEntryGate.Settings(notional: strategy.notional, leverage: strategy.leverage, stopMove: strategy.stopLoss,
                                                targetMove: strategy.takeProfit, roundQuantityToStep: strategy.roundToExchangeGrid)
        bracket = FixedBracketExit.Settings(stopMove: strategy.stopLoss, targetMove: strategy.takeProfit, armDelay: interval,
                                            roundToTick: strategy.roundToExchangeGrid)
    }

    // MARK: - Parts

    /// The benchmark sizer with its own bracket plan (reference bracket).
    var fixedNotionalGate: ManualHaltGate<FixedNotionalEntryGate> {
        ManualHaltGate(inner: FixedNotionalEntryGate(settings: fixed), halt: manualHalt?.detail)
    }

    /// The benchmark sizer with the `ExitBrain`'s plan (exit engine without validation).
    var exitPlannedGate: ManualHaltGate<BrainPlannedGate> {
        ManualHaltGate(inner: BrainPlannedGate(inner: FixedNotionalEntryGate(settings: fixed), brain: brain), halt: manualHalt?.detail)
    }

    /// The pre-trade validator (only when `entry_gate = "validator"`).
    var validatorGate: ValidatorGate {
        guard let validation else { preconditionFailure("validatorGate used without entry_gate = \"validator\"") }
        return ValidatorGate(core: validation)
    }

    /// The exit engine's owner of one position.
    func makeExecutor(_ context: ExitOwnerContext) -> ExitExecutor {
        ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument, settings: exitSettings,
                     positionKey: context.positionKey, orderIDs: context.orderIDs)
    }

    /// The reference benchmark's bracket.
    func makeBracket(_ context: ExitOwnerContext) -> FixedBracketExit {
        FixedBracketExit(context: context, settings: bracket)
    }

    // MARK: - Replay

    /// Replays `data` with `strategies` (one per symbol, in `data.symbols` order) through the
    /// gate and exit owner the configuration named.
    func run<Strategy: TradingStrategy>(_ replay: Replay, strategies: [Strategy]) -> BacktestOutput {
        switch (entryGate, policy) {
        case (.fixedNotional, .referenceBracket):
            replay.run(strategies: strategies, gate: fixedNotionalGate, makeExit: makeBracket)
        case (.fixedNotional, .exitEngine):
            replay.run(strategies: strategies, gate: exitPlannedGate, makeExit: makeExecutor)
        case (.validator, .referenceBracket):
            replay.run(strategies: strategies, gate: validatorGate, makeExit: makeBracket)
        case (.validator, .exitEngine):
            replay.run(strategies: strategies, gate: validatorGate, makeExit: makeExecutor)
        }
    }
}
