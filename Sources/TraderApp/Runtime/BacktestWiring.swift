import Backtest
import TradingEngine
import TradingModel

/// A backtest's wiring: the gate and exit owner from the shared `TradingWiring` (the same
/// factory `qt paper` and `qt live` use) and the `BacktestRuntime` beside the kernel (the
/// `Watchdog` under `exit-engine`, the validator's risk actions, the store operations).
struct BacktestWiring {
    let wiring: TradingWiring
    let runtime: BacktestRuntime

    var policy: ExecutionPolicy { wiring.policy }
    var exitEngine: Bool { wiring.exitEngine }
    var manualHalt: RiskEventRecord? { wiring.manualHalt }

    /// - Parameters:
    ///   - start: time of the first bar (the manual halt is applied then).
    init(config: AppConfig, strategy: StrategySettings, instruments: [Instrument], interval: Duration, start: Timestamp,
         store: (any TradeStore)?) throws {
        wiring = try TradingWiring(config: config, strategy: strategy, interval: interval, start: start, store: store)
        let supervisor = wiring.exitEngine
            ? Supervisor(watchdog: Watchdog(settings: config.watchdog, orderIDs: ClientOrderIDGenerator(runTag: "btwd")), venuePositions: .fromFills)
            : nil
        let analysis = strategy.entryGate == .validator ? RejectionAnalysis(feeRate: config.backtest.fees.takerRate) : nil
        runtime = BacktestRuntime(instruments: instruments, exitSettings: config.exit, supervisor: supervisor, rejectionAnalysis: analysis)
    }

    /// The benchmark sizer with the `ExitBrain`'s plan (tests wrap its owners).
    var exitPlannedGate: ManualHaltGate<BrainPlannedGate> { wiring.exitPlannedGate }

    /// The exit engine's owner of one position.
    func makeExecutor(_ context: ExitOwnerContext) -> ExitExecutor { wiring.makeExecutor(context) }

    /// Replays `data` with `strategies` (one per symbol, in `data.symbols` order) through the
    /// gate and exit owner the configuration named.
    func run<Strategy: TradingStrategy>(_ replay: Replay, strategies: [Strategy]) -> BacktestOutput {
        wiring.compose(ReplayVisitor(replay: replay, strategies: strategies, startRisk: wiring.startRisk))
    }
}

/// Runs a `Replay` with the composed parts.
private struct ReplayVisitor<Strategy: TradingStrategy>: TradingWiringVisitor {
    let replay: Replay
    let strategies: [Strategy]
    let startRisk: RiskEvent?

    func visit<Gate: EntryGate & Sendable, Exit: PositionExitOwner & Sendable>(_ parts: RuntimeParts<Gate, Exit>) -> BacktestOutput {
        replay.run(strategies: strategies, gate: parts.gate, makeExit: parts.makeExit, startRisk: startRisk)
    }
}
