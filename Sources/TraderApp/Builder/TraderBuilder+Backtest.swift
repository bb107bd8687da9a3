import TradingEngine
import TradingModel

extension TraderBuilder {
    /// `qt backtest`: the backtest engine on candle files (`BacktestRunner`, or `SignalReplay`
    /// for supplied signals). An existing store is opened now (its manual halt applies); a new
    /// one is created only when the completed run is recorded; `recordsRun` false only reads an
    /// existing one. The replay runs off the cooperative pool (seconds of synchronous work).
    func buildBacktest(_ request: BacktestRequest) throws(StartupError) -> Trader {
        guard !request.dataFiles.isEmpty else { throw StartupError(.data, "give at least one candle file with --data FILE", field: "--data") }
        let strategy = try strategySettings("a backtest")
        let existing: (any TradeStore)?
        let create: (@Sendable () throws -> any TradeStore)?
        do {
            if let store = environment.store {
                (existing, create) = (store, nil)
            } else if request.recordsRun {
                let store = try TradeStoreFactory.backtestStore(config.storage)
                (existing, create) = (store.existing, store.create)
            } else {
                (existing, create) = (try TradeStoreFactory.backtestHaltSource(config.storage), nil)
            }
        } catch {
            throw StartupError(.store, "\(error)", field: "[storage]", cause: error)
        }
        let config = self.config
        let label = "\(strategy.name.rawValue) backtest on \(request.dataFiles.joined(separator: " "))"
        return Trader(kind: .backtest, label: label, store: existing, alerts: nil, others: [], environment: environment, notes: [],
                      session: { _ in
                          try await PaperRunner.offCooperativePool {
                              if let signalsFile = request.signalsFile {
                                  let supplied = try ExternalSignal.read(path: signalsFile)
                                  let replay = try SignalReplay.run(config: config, dataFiles: request.dataFiles, signals: supplied,
                                                                    outputDirectory: request.outputDirectory, store: existing,
                                                                    createStore: create, recordsRun: request.recordsRun, progress: request.progress)
                                  return .backtest(replay.backtest, signalReplay: SignalReplay.lines(replay.outcomes))
                              }
                              let result = try BacktestRunner.run(config: config, dataFiles: request.dataFiles, outputDirectory: request.outputDirectory,
                                                                  store: existing, createStore: create, recordsRun: request.recordsRun,
                                                                  progress: request.progress)
                              return .backtest(result, signalReplay: [])
                          }
                      })
    }
}
