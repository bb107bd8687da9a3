import TradingEngine
import TradingModel

/// The entry gate and exit owner a configuration names, built once and the same way for
/// `qt backtest` (`BacktestWiring`), `qt paper` (`PaperRunner`) and `qt live` (`LiveComposition`).
/// Fail closed: every part is named in the configuration, none is a default.
///
/// | `[strategy] entry_gate` × `[execution] policy` | gate | exit owner |
/// |---|---|---|
/// | `fixed-notional` × `reference-bracket` | `ManualHaltGate<FixedNotionalEntryGate>` | `FixedBracketExit` |
/// | `fixed-notional` × `exit-engine` | `ManualHaltGate<BrainPlannedGate>` | `ExitExecutor` (`[exit]`) |
/// | `validator` × `reference-bracket` | `PreTradeValidator` | `FixedBracketExit` |
/// | `validator` × `exit-engine` | `PreTradeValidator` | `ExitExecutor` |
///
/// The store's manual risk state (`qt risk halt`), read once here: a HALTED store blocks every
/// new entry (in the validator's `RiskEngine`, which each driver halts by hand with `startRisk`
/// before the first event, or by `ManualHaltGate`).
struct TradingWiring: Sendable {
    let policy: ExecutionPolicy
    let entryGate: StrategySettings.EntryGateName
    let brain: ExitBrain
    let exitSettings: ExitSettings
    let watchdogSettings: Watchdog.Settings
    /// `[validation]`, `[risk]` (used when `entry_gate = "validator"`).
    let validation: ValidationSettings
    let risk: RiskSettings
    /// The risk event each driver gives the kernel before the first market event: the store's
    /// manual halt, for the validator's `RiskEngine` (nil: none, or a gate without one).
    let startRisk: RiskEvent?
    /// The store's latest manual record when it is a halt (applied to every entry).
    let manualHalt: RiskEventRecord?
    let fixed: FixedNotionalEntryGate.Settings
    let bracket: FixedBracketExit.Settings

    /// - Parameters:
    ///   - interval: the bar interval (the reference bracket arms one bar after its entry).
    ///   - start: when the run starts (a manual halt is applied then).
    init(config: AppConfig, strategy: StrategySettings, interval: Duration, start: Timestamp,
         store: (any TradeStore)?) throws(StartupError) {
        policy = config.execution.policy
        entryGate = strategy.entryGate
        do { brain = try ExitBrain(settings: config.exit) } catch {
            throw StartupError(.configuration, "[exit]: \(error)", field: "[exit]", cause: error)
        }
        exitSettings = config.exit
        watchdogSettings = config.watchdog
        let halt: RiskEventRecord?
        do { halt = try store.flatMap { try ManualRiskState.latest(in: $0) } } catch {
            throw StartupError(.store, "cannot read the store's manual risk state: \(error)", field: "[storage]", cause: error)
        }
        manualHalt = halt?.knownState == .halted ? halt : nil
        validation = config.validation
        risk = config.risk
        if strategy.entryGate == .validator, let manualHalt {
            startRisk = .halt(by: "store", reason: "manual halt in the store (\(manualHalt.detail))", time: start)
        } else {
            startRisk = nil
        }
        fixed = FixedNotionalEntryGate.Settings(notional: strategy.notional, leverage: strategy.leverage, stopMove: strategy.stopLoss,
                                                targetMove: strategy.takeProfit, roundQuantityToStep: strategy.roundToExchangeGrid)
        bracket = FixedBracketExit.Settings(stopMove: strategy.stopLoss, targetMove: strategy.takeProfit, armDelay: interval,
                                            roundToTick: strategy.roundToExchangeGrid)
    }

    /// True when positions are owned by the exit engine (timers, watchdog, exchange backstop).
    var exitEngine: Bool { policy == .exitEngine }

    // MARK: - Parts

    /// The benchmark sizer with its own bracket plan (reference bracket).
    var fixedNotionalGate: ManualHaltGate<FixedNotionalEntryGate> {
        ManualHaltGate(inner: FixedNotionalEntryGate(settings: fixed), halt: manualHalt?.detail)
    }

    /// The benchmark sizer with the `ExitBrain`'s plan (exit engine without validation).
    var exitPlannedGate: ManualHaltGate<BrainPlannedGate> {
        ManualHaltGate(inner: BrainPlannedGate(inner: FixedNotionalEntryGate(settings: fixed), brain: brain), halt: manualHalt?.detail)
    }

    /// The pre-trade validator (`entry_gate = "validator"`), with the exit brain as its planner.
    var validatorGate: PreTradeValidator {
        PreTradeValidator(settings: validation, riskSettings: risk, planner: brain)
    }

    /// The exit engine's owner of one position, from the entry's plan and `[exit]` (restored
    /// from its saved state when a restart adopts it: `ExitExecutor.make`).
    var makeExecutor: @Sendable (ExitOwnerContext) -> ExitExecutor {
        let settings = exitSettings
        return { context in ExitExecutor.make(context, settings: settings) }
    }

    /// The reference benchmark's bracket.
    var makeBracket: @Sendable (ExitOwnerContext) -> FixedBracketExit {
        let settings = bracket
        return { FixedBracketExit(context: $0, settings: settings) }
    }

    // MARK: - Composition

    /// Calls `visitor` with the gate and exit owner the configuration named (the one switch over
    /// the four combinations; the kernel stays specialised).
    func compose<Visitor: TradingWiringVisitor>(_ visitor: Visitor) -> Visitor.Output {
        switch (entryGate, policy) {
        case (.fixedNotional, .referenceBracket): visitor.visit(parts(gate: fixedNotionalGate, makeExit: makeBracket))
        case (.fixedNotional, .exitEngine): visitor.visit(parts(gate: exitPlannedGate, makeExit: makeExecutor))
        case (.validator, .referenceBracket): visitor.visit(parts(gate: validatorGate, makeExit: makeBracket))
        case (.validator, .exitEngine): visitor.visit(parts(gate: validatorGate, makeExit: makeExecutor))
        }
    }

    /// The parts of one combination (`compose` picks it; `LiveComposition` takes the one live allows).
    func parts<Gate, Exit>(gate: Gate, makeExit: @escaping @Sendable (ExitOwnerContext) -> Exit) -> RuntimeParts<Gate, Exit> {
        RuntimeParts(gate: gate, makeExit: makeExit, planner: brain, watchdog: watchdogSettings, exitEngine: exitEngine, startRisk: startRisk)
    }
}

/// Something generic over the gate and exit owner a configuration names (a replay, a paper or
/// live runtime): `TradingWiring.compose` calls it with the parts.
protocol TradingWiringVisitor {
    associatedtype Output
    func visit<Gate: EntryGate & Sendable, Exit: PositionExitOwner & Sendable>(_ parts: RuntimeParts<Gate, Exit>) -> Output
}
