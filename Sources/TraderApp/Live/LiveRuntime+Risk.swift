import TradingEngine
import TradingModel

/// The gate's risk engine in the real-time runtime, as `BacktestEngine` feeds it in a replay:
/// the equity at every bar close (its actions, `.risk`, are performed with the kernel's others).
extension LiveRuntime {
    /// A bar closed (after the kernel saw it): the risk engine learns the equity; its actions run.
    func barClosed(time: Timestamp) async {
        kernel.onRisk(.equity(kernel.portfolio.equity, time: time), into: &actions)
        await pump()
    }
}
