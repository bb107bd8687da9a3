import Backtest
import TradingEngine
import TradingModel

/// Records a finished backtest in a `TradeStore` as one unit (`TradeStore.recordRun`): the run,
/// its decisions (every reason), the runtime's operations in event order (order events,
/// exit-state saves and deletes, risk events), fills, trades, alerts (kernel, venue, watchdog,
/// risk) and equity samples, then the summary. The store writes it all or nothing: the run is
/// marked finished only with everything in, and a failure leaves no part of it.
enum BacktestStoreRecorder {
    /// Records the run (`kind`: `.paper` for `qt paper --data`); returns its id.
    @discardableResult
    static func record(output: BacktestOutput, summary: BacktestSummary, store: any TradeStore, dataFiles: [String], symbols: [Symbol],
                       label: String = "ema-cross", configFingerprint: String, operations: [BacktestRuntime.StoreOperation] = [],
                       kind: RunKind = .backtest) throws -> Int64 {
        try store.recordRun(recording(output: output, summary: summary, dataFiles: dataFiles, symbols: symbols, label: label,
                                      configFingerprint: configFingerprint, operations: operations, kind: kind))
    }

    /// The run as the store keeps it; record run ids are 0 (the store fills in the run's id).
    static func recording(output: BacktestOutput, summary: BacktestSummary, dataFiles: [String], symbols: [Symbol],
                          label: String, configFingerprint: String, operations: [BacktestRuntime.StoreOperation],
                          kind: RunKind = .backtest) -> RunRecording {
        let unassigned: Int64 = 0
        let started = output.equityCurve?.samples.first?.time ?? Timestamp(milliseconds: 0)
        let finished = output.equityCurve?.samples.last?.time ?? started
        let run = RunRecord(kind: kind, startedAt: started, configHash: configFingerprint,
                            detail: "\(label) on \(symbols.map(\.name).joined(separator: ",")): \(dataFiles.joined(separator: " "))")
        let json = "{\"trades\":\(summary.trades),\"net_pnl\":\"\(summary.netPnL)\",\"fees\":\"\(summary.feesPaid)\",\"funding\":\"\(summary.fundingPaid)\",\"max_drawdown\":\"\(summary.maxDrawdown)\"}"
        var recording = RunRecording(run: run, finishedAt: finished, summaryJSON: json)
        recording.decisions = output.decisions.map { DecisionRecord(decision: $0.decision, runID: unassigned, time: $0.time) }
        recording.operations = operations.compactMap { operation in
            switch operation {
            case .order(let record):
                .order(record)
            case .saveExitState(let snapshot, let time):
                .saveExitState(ExitStateRecord(snapshot: snapshot, runID: unassigned, updatedAt: time))
            case .deleteExitState(let key):
                .deleteExitState(positionKey: key)
            case .riskEvent(let event):
                .riskEvent(event)
            case .alert:
                nil   // alerts are in output.alerts (merged by the runner) and recorded with them
            }
        }
        recording.fills = output.fills.map { FillRecord(runID: unassigned, fill: $0) }
        recording.trades = output.trades.map { TradeRecord(trade: $0, runID: unassigned) }
        recording.alerts = output.alerts.map { AlertRecord(runID: unassigned, alert: $0) }
        recording.equity = (output.equityCurve?.samples ?? []).map { EquitySnapshotRecord(sample: $0, runID: unassigned) }
        return recording
    }
}
