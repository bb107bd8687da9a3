import TradingEngine
import TradingModel

/// The gate's risk engine in the real-time runtime, as `BacktestEngine` feeds it in a replay:
/// the equity at every bar close (its actions, `.risk`, are performed with the kernel's others);
/// and the bar-close timer of a replayed file.
extension LiveRuntime {
    /// A bar closed (after the kernel saw it): the risk engine learns the equity; its actions run.
    func barClosed(time: Timestamp) async {
        kernel.onRisk(.equity(kernel.portfolio.equity, time: time), into: &actions)
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
