import Dispatch
import TradingEngine
import TradingModel
import Backtest

extension PaperRunner {
    /// Paper trading on candle files (`qt paper --data FILE…`): the backtest engine with the
    /// configuration's wiring (`BacktestRunner`, the same strategy, gate, exit owner, watchdog
    /// and risk supervision as `qt backtest`), so the same data gives the same trades. Nothing is
    /// written to a run folder; the run is recorded in `store` as a paper run, in one unit (it
    /// is refused before anything is written when the model or the data do not fit). Then the
    /// run's alerts go to `alerting` in time order, and `observer` sees the final state once
    /// (the replay of a file takes seconds: there is nothing to watch in between).
    public static func run(config: AppConfig, dataFiles: [String], store: any TradeStore, alerting: any Alerting,
                           observer: (any RuntimeObserver)? = nil) async throws -> PaperRunResult {
        _ = try TraderBuilder(config).strategySettings("paper trading")
        let replay = try await offCooperativePool {
            try BacktestRunner.run(config: config, dataFiles: dataFiles, outputDirectory: nil, store: store, kind: .paper)
        }
        guard let runID = replay.runID else { throw BacktestRunError("the paper run on \(dataFiles.joined(separator: " ")) was not recorded") }
        let output = replay.output
        let walletBalance = output.walletBalance
        let result = PaperRunResult(runID: runID, symbols: replay.symbols, trades: output.trades, alerts: output.alerts,
                                    walletBalance: walletBalance, notes: replay.notes)
        for alert in output.alerts { await alerting.send(alert) }
        if let observer {
            var state = RuntimeState(time: output.equityCurve?.samples.last?.time ?? Timestamp(milliseconds: 0), trades: output.trades, positions: [])
            state.runID = runID
            state.symbols = replay.symbols
            state.walletBalance = walletBalance
            _ = await observer.handled(.endOfMarketData, state: state)
        }
        return result
    }

    /// Runs synchronous, CPU-bound work (a replay: seconds) on a GCD thread and waits for it
    /// without holding a thread of the cooperative pool, which has one thread per core: a replay
    /// there would starve every other task of the process (the dashboard beside it, a session's
    /// streams, other tests) until it ends.
    static func offCooperativePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
