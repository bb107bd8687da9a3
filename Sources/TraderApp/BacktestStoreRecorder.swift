import Backtest
import TradingEngine
import TradingModel

/// Records a finished backtest in a `TradeStore`: the run, its decisions (every reason), the
/// runtime's operations in event order (order events, exit-state saves and deletes, risk events),
/// fills, trades, alerts (kernel, venue, watchdog, risk) and equity samples, then the summary.
enum BacktestStoreRecorder {
    static func record(output: BacktestOutput, summary: BacktestSummary, store: any TradeStore, dataFiles: [String], symbols: [Symbol],
                       label: String = "ema-cross", configFingerprint: String, operations: [BacktestRuntime.StoreOperation] = []) throws {
        let started = output.equityCurve?.samples.first?.time ?? Timestamp(milliseconds: 0)
        let finished = output.equityCurve?.samples.last?.time ?? started
        let runID = try store.beginRun(RunRecord(kind: .backtest, startedAt: started, configHash: configFingerprint,
                                                 detail: "\(label) on \(symbols.map(\.name).joined(separator: ",")): \(dataFiles.joined(separator: " "))"))
        for decision in output.decisions {
            switch decision.decision {
            case .approved(let entry):
                try store.recordDecision(DecisionRecord(runID: runID, signal: entry.signal, approved: true, reasons: [],
                                                        quantity: entry.quantity, leverage: entry.leverage, time: decision.time))
            case .rejected(let signal, let reasons):
                try store.recordDecision(DecisionRecord(runID: runID, signal: signal, approved: false, reasons: reasons.map(\.description),
                                                        quantity: nil, leverage: nil, time: decision.time))
            }
        }
        for operation in operations {
            switch operation {
            case .order(var record):
                record.runID = runID
                try store.recordOrder(record)
            case .saveExitState(let snapshot, let time):
                try store.saveExitState(ExitStateRecord(runID: runID, positionKey: snapshot.positionKey, symbol: snapshot.symbol,
                                                        executor: snapshot.executor, stateJSON: snapshot.stateJSON,
                                                        lastPriceEventAt: snapshot.lastPriceEventAt, updatedAt: time))
            case .deleteExitState(let key):
                try store.deleteExitState(runID: runID, positionKey: key)
            case .riskEvent(var event):
                event.runID = runID
                try store.recordRiskEvent(event)
            case .alert:
                break   // alerts are in output.alerts (merged by the runner) and recorded below
            }
        }
        for fill in output.fills { try store.recordFill(FillRecord(runID: runID, fill: fill)) }
        for trade in output.trades { try store.recordTrade(TradeRecord(trade: trade, runID: runID)) }
        for alert in output.alerts { try store.recordAlert(AlertRecord(runID: runID, alert: alert)) }
        for sample in output.equityCurve?.samples ?? [] {
            try store.recordEquity(EquitySnapshotRecord(runID: runID, time: sample.time, equity: sample.equity, walletBalance: sample.walletBalance,
                                                        unrealizedPnL: sample.unrealizedPnL, drawdown: sample.drawdown))
        }
        let json = "{\"trades\":\(summary.trades),\"net_pnl\":\"\(summary.netPnL)\",\"fees\":\"\(summary.feesPaid)\",\"funding\":\"\(summary.fundingPaid)\",\"max_drawdown\":\"\(summary.maxDrawdown)\"}"
        try store.finishRun(id: runID, finishedAt: finished, summaryJSON: json)
    }
}
