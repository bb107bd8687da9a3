import TradingEngine
import TradingModel

/// The entry gate and exit-owner factory of one configuration (from `TradingWiring.compose`),
/// with what a runtime beside the kernel needs: the exit planner (reconciliation adopts venue
/// positions with it) and the watchdog's settings. Sendable, so a real-time runtime can be built
/// from it inside a `@Sendable` factory (`LiveSession.run(makeRuntime:)`).
struct RuntimeParts<Gate: EntryGate & Sendable, Exit: PositionExitOwner & Sendable>: Sendable {
    let gate: Gate
    let makeExit: @Sendable (ExitOwnerContext) -> Exit
    let planner: ExitBrain
    let watchdog: Watchdog.Settings
    /// Positions are owned by the exit engine (bar-close timers in a replay).
    let exitEngine: Bool
    /// The store's manual halt for the gate's risk engine, given to the kernel before the first
    /// event (`TradingWiring.startRisk`).
    let startRisk: RiskEvent?

    /// The kernel over `instruments` (one strategy each, same order).
    func makeKernel<Strategy: TradingStrategy>(instruments: [Instrument], strategies: [Strategy], initialBalance: Money,
                                               equitySampleInterval: Duration, runTag: String) -> TradingKernel<Strategy, Gate, Exit> {
        TradingKernel(instruments: instruments, strategies: strategies, gate: gate, initialBalance: initialBalance,
                      equitySampleInterval: equitySampleInterval, runTag: runTag, makeExitOwner: makeExit)
    }

    /// The real-time runtime around `kernel`, with this configuration's planner, watchdog
    /// settings and exit statuses (`settings.watchdog` is replaced by `[watchdog]`; the watchdog
    /// watches the venue's positions under the exit engine).
    func makeRuntime<Strategy: TradingStrategy>(kernel: sending TradingKernel<Strategy, Gate, Exit>, client: any ExecutionClient,
                                                inbox: ExecutionInbox, store: any TradeStore, runID: Int64,
                                                alerting: any Alerting, clock: any TradingClock,
                                                settings: LiveRuntimeSettings) -> LiveRuntime<Strategy, Gate, Exit> {
        var settings = settings
        settings.watchdog = watchdog
        settings.watchVenuePositions = exitEngine
        return LiveRuntime(kernel: kernel, client: client, inbox: inbox, store: store, runID: runID, alerting: alerting,
                           clock: clock, planner: planner, settings: settings, statusOf: { $0.exitStatus },
                           startRisk: startRisk)
    }
}
