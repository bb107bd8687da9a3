import TradingEngine
import TradingModel

/// Runtime services that run beside the kernel in a replay (watchdog, risk supervision, store
/// recording), told about every price point, timer tick, performed action and venue report.
/// They answer with `BacktestCommand`s, which the engine performs at once, in the same event.
///
/// A reference type on purpose: one observer is shared by the engine and the composition root
/// (which reads what it collected after the run). Used from one thread only.
public protocol BacktestObserver: AnyObject {
    /// A price point of `symbolIndex`, after the venue and the kernel acted on it, with the live
    /// status of the symbol's exit owner (the watchdog's heartbeat: an owner that stopped
    /// processing events shows an old `lastEventAt`).
    func price(_ event: PriceEvent, symbolIndex: Int, status: ExitStatus?) -> [BacktestCommand]
    /// A timer tick (each bar close) with the live status of every owner that reports one.
    func timer(_ time: Timestamp, statuses: [ExitStatus]) -> [BacktestCommand]
    /// A kernel action the engine just performed. `status` is the live status of the owner of
    /// the action's symbol, when it has one (for `.saveExitState`: nil once the position is flat).
    func performed(_ action: KernelAction, status: ExitStatus?, time: Timestamp) -> [BacktestCommand]
    /// A venue report, before the kernel sees it.
    func venue(_ event: ExecutionEvent)
    /// A bar of `symbolIndex` closed (after the kernel saw it, before the risk engine gets the
    /// equity), for analyses that follow the market (counterfactuals of rejected signals).
    func barClosed(_ candle: Candle, interval: Duration, closeTime: Timestamp, symbolIndex: Int)
}

/// What an observer asks the engine to do.
public enum BacktestCommand: Sendable, Hashable {
    /// Send a closing order to the venue directly (the watchdog's force-close); the trade it
    /// closes is named `reason`. Only reduce-only or close-position orders are sent; anything
    /// else is refused with a critical alert.
    case forceClose(OrderRequest, reason: ExitReason)
}

extension BacktestEngine {
    /// Sends `.timer(time)` to every exit owner and the observer, and performs the results.
    public mutating func timer(_ time: Timestamp) {
        kernel.onTimer(time: time, into: &actions)
        if !actions.isEmpty { pump() }
        guard let observer else { return }
        var statuses: [ExitStatus] = []
        for index in kernel.instruments.indices {
            if let status = kernel.exitStatus(symbolIndex: index) { statuses.append(status) }
        }
        run(observer.timer(time, statuses: statuses))
        pump()
    }

    /// A risk event for the gate's risk engine outside a bar (the store's manual halt before
    /// the first candle); its actions are performed at once.
    public mutating func onRisk(_ event: RiskEvent) {
        kernel.onRisk(event, into: &actions)
        if !actions.isEmpty { pump() }
    }

    /// Performs an observer's commands (the caller pumps).
    @usableFromInline
    mutating func run(_ commands: [BacktestCommand]) {
        for command in commands {
            switch command {
            case .forceClose(let order, let reason):
                guard order.reduceOnly || order.closePosition else {
                    output.alerts.append(Alert(severity: .critical, kind: "runtime.order_not_reduce_only",
                                               message: "observer order \(order.clientOrderID) is not reduce-only; refused",
                                               symbol: order.symbol, time: exchange.now))
                    continue
                }
                let index = symbolIndex(of: order.symbol)
                kernel.noteForceClose(reason: reason, symbolIndex: index)
                exchange.submit(order, symbolIndex: index, time: exchange.now, into: &events)
            }
        }
    }

    /// Tells the observer about a performed action and runs its answer.
    mutating func notify(_ action: KernelAction) {
        guard let observer else { return }
        var status: ExitStatus?
        if case .saveExitState(let snapshot) = action {
            status = kernel.exitStatus(symbolIndex: symbolIndex(of: snapshot.symbol))
        }
        let commands = observer.performed(action, status: status, time: exchange.now)
        if !commands.isEmpty { run(commands) }
    }
}
