import TradingEngine
import TradingModel

/// The gate's risk engine in the real-time runtime, as `BacktestEngine` feeds it in a replay:
/// the equity at every bar close (its actions, `.risk`, are performed with the kernel's others);
/// and the store's manual halt or resume, followed while the session runs.
extension LiveRuntime {
    /// A bar closed (after the kernel saw it): the risk engine learns the equity; its actions run.
    func barClosed(time: Timestamp) async {
        kernel.onRisk(.equity(kernel.portfolio.equity, time: time), into: &actions)
        await pump()
    }

    /// Follows `qt risk halt|resume` while the session runs (read at every timer tick): a new
    /// manual halt blocks entries at once (and halts the validator's risk engine), a resume lifts
    /// it; each change is alerted. The state at the first tick is the one the session started
    /// with (applied to the gate at start: `TradingWiring.startRisk`). A store that cannot be read halts entries.
    func syncManualRiskState() async {
        let latest: RiskEventRecord?
        do { latest = try ManualRiskState.latest(in: store) } catch {
            halt("cannot read the manual risk state from the trade store: \(error)")
            return
        }
        let key = latest.map { "\($0.state)@\($0.time.milliseconds)" }
        let halted = latest?.knownState == .halted
        guard manualRiskSynced else {
            manualRiskSynced = true
            manualRiskKey = key
            manualHaltDetail = halted ? latest?.detail : nil
            return
        }
        guard key != manualRiskKey, let latest else { return }
        manualRiskKey = key
        if halted {
            manualHaltDetail = latest.detail
            kernel.onRisk(.halt(by: "store", reason: "manual halt in the store (\(latest.detail))", time: now), into: &actions)
            raise(Alert(severity: .critical, kind: "runtime.manual_halt", message: "manual halt (\(latest.detail)): no new entries; "
                        + "open positions stay protected", symbol: nil, time: now))
        } else {
            manualHaltDetail = nil
            kernel.onRisk(.resume(by: "store", reason: "manual resume in the store (\(latest.detail))", time: now), into: &actions)
            raise(Alert(severity: .info, kind: "runtime.manual_resume", message: "manual resume (\(latest.detail)): entries allowed again",
                        symbol: nil, time: now))
        }
        await pump()
    }
}
