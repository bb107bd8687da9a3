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
        recording.decisions = output.decisions.map { decision in
            switch decision.decision {
            case .approved(let entry):
                DecisionRecord(runID: unassigned, signal: entry.signal, approved: true, reasons: [],
                               quantity: entry.quantity, leverage: entry.leverage, time: decision.time,
                               referencePrice: entry.plan.entryPrice)
            case .rejected(let signal, let reasons):
                DecisionRecord(runID: unassigned, signal: signal, approved: false, reasons: reasons.map(\.description),
                               quantity: nil, leverage: nil, time: decision.time)
            }
        }
        recording.operations = operations.compactMap { operation in
            switch operation {
            case .order(let record):
                .order(record)
            case .saveExitState(let snapshot, let time):
                .saveExitState(ExitStateRecord(runID: unassigned, positionKey: snapshot.positionKey, symbol: snapshot.symbol,
                                               executor: snapshot.executor, stateJSON: snapshot.stateJSON,
                                               lastPriceEventAt: snapshot.lastPriceEventAt, updatedAt: time))
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
        recording.equity = (output.equityCurve?.samples ?? []).map { sample in
            EquitySnapshotRecord(runID: unassigned, time: sample.time, equity: sample.equity, walletBalance: sample.walletBalance,
                                 unrealizedPnL: sample.unrealizedPnL, drawdown: sample.drawdown)
        }
        return recording
    }
}
