import TradingEngine
import TradingModel

/// The validator's risk supervision in the real-time runtime, as `BacktestRuntime` does it in a
/// replay: equity to the `RiskEngine` at every bar close, its actions performed after every
/// decision, closed trade and equity update; and the bar-close timer of a replayed file.
extension LiveRuntime {
    /// Performs the validator's pending risk actions: records to the store, alerts raised, a
    /// flatten asks every exit owner to close (reduce-only, through the owners).
    func superviseRisk() {
        guard let validation else { return }
        for action in validation.takeRiskActions() {
            switch action {
            case .record(var event):
                event.runID = runID
                record { try store.recordRiskEvent(event) }
            case .alert(let alert):
                raise(alert)
            case .flattenAll(let reason, let time):
                kernel.closeAll(reason: reason, time: time, into: &actions)
            }
        }
    }

    /// A bar closed (after the kernel saw it): the risk engine learns the equity; its actions run.
    func barClosed(time: Timestamp) async {
        guard let validation else { return }
        validation.equity(kernel.portfolio.equity, time: time)
        superviseRisk()
        await pump()
    }

    /// A replayed bar's close, before the kernel sees the bar (as `BacktestEngine` sends it):
    /// `.timer` to every exit owner (retries, backstop deadline), then the watchdog gets every
    /// owner's status and the tick. Market-data staleness is not judged on replay ticks.
    func barCloseTimer(_ time: Timestamp) async {
        kernel.onTimer(time: time, into: &actions)
        await pump()
        await resolveUnknownOrders()
        for index in kernel.instruments.indices {
            if let owner = kernel.symbols[index].owner, let status = statusOf(owner) { _ = watchdog.on(.status(status)) }
        }
        await performWatchdog(watchdog.on(.timer(time)))
    }
}
