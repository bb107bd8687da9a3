import TradingEngine
import TradingModel

extension LiveRuntime {
    /// Writes the kernel's new equity samples (one per `[backtest] equity_sample_interval` of
    /// bar closes, and one at every trade close) to the store, so paper and live runs have a
    /// real equity curve for `qt stats`, `qt flow` and the dashboard: the same samples as a
    /// backtest of the same data. The curve may still replace its last sample (a trade closing
    /// at that time), so the last one is written only when a later one exists or the run ends
    /// (`final`).
    func recordEquitySamples(final: Bool) {
        let samples = kernel.equityCurve.samples
        let settled = final ? samples.count : samples.count - 1
        guard settled > recordedEquitySamples else { return }
        for sample in samples[recordedEquitySamples..<settled] {
            record { try store.recordEquity(EquitySnapshotRecord(sample: sample, runID: runID)) }
        }
        recordedEquitySamples = settled
    }
}
