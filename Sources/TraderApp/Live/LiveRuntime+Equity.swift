import TradingEngine
import TradingModel

extension LiveRuntime {
    /// Writes the kernel's new equity samples (one per `[backtest] equity_sample_interval` of
    /// bar closes, and one at every trade close) to the store, so paper and live runs have a
    /// real equity curve for `qt stats` and the dashboard. A sample the curve later replaced
    /// (same time) is written once, as first seen.
    func recordEquitySamples() {
        let samples = kernel.equityCurve.samples
        guard samples.count > recordedEquitySamples else { return }
        for sample in samples[recordedEquitySamples...] {
            record {
                try store.recordEquity(EquitySnapshotRecord(runID: runID, time: sample.time, equity: sample.equity, walletBalance: sample.walletBalance,
                                                            unrealizedPnL: sample.unrealizedPnL, drawdown: sample.drawdown))
            }
        }
        recordedEquitySamples = samples.count
    }
}
