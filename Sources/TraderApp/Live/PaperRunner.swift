import Backtest
import TradingEngine
import TradingModel

/// What a paper run produced.
public struct PaperRunResult: Sendable {
    public var runID: Int64
    public var symbols: [Symbol]
    public var trades: [ClosedTrade]
    public var alerts: [Alert]
    public var walletBalance: Money
}

/// Composition root of `qt paper --data FILE...`: the configuration's strategy, entry gate and
/// exit owner in the `LiveRuntime`, with the simulated exchange behind the `ExecutionClient` port
/// (`SimulatedExecutionClient`) and the candle files as market data, replayed along the
/// backtest's intrabar path. Same engine and data as `qt backtest`, so the same trades.
public enum PaperRunner {
    public static func run(config: AppConfig, dataFiles: [String], store: any TradeStore, alerting: any Alerting) async throws -> PaperRunResult {
        guard let strategy = config.strategy else {
            throw BacktestRunError("the configuration has no [strategy] section; paper trading needs one (name, entry_gate)")
        }
        guard config.execution.policy == .referenceBracket else {
            throw BacktestRunError("strategy \(strategy.name.rawValue) is protected by the reference bracket exit in this build; set [execution] "
                                   + "policy = \"reference-bracket\" (the exit-engine policy needs a validated entry gate, not wired yet)")
        }
        guard config.backtest.funding == .none else {
            throw BacktestRunError("paper trading on files settles no funding in this build; set [backtest] funding = \"none\"")
        }
        let data = try BacktestData.load(files: dataFiles, fundingFiles: [])
        let settings = config.backtest
        let instruments = try data.symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let emaSettings = BacktestRunner.emaCrossSettings(strategy: strategy, settings: settings)
        let kernel = EMACrossBacktest.makeKernel(instruments: instruments, settings: emaSettings, interval: data.interval, runTag: "pp")
        let clock = ManualClock(data.start)
        let client = SimulatedExecutionClient(
            exchange: SimulatedExchange(instruments: instruments, initialBalance: settings.initialBalance, settings: emaSettings.exchange), clock: clock)
        let inbox = ExecutionInbox()
        client.observe { inbox.append(contentsOf: $0) }
        let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: data.start, configHash: strategy.name.rawValue,
                                                 detail: "paper \(strategy.name.rawValue) on \(dataFiles.joined(separator: " "))"))
        let runtime = LiveRuntime(kernel: kernel, client: client, venue: client, inbox: inbox, store: store, runID: runID, alerting: alerting,
                                  clock: clock, replayClock: clock, planner: nil,
                                  settings: LiveRuntimeSettings(runTag: "pp", priceDriving: .barReplay(settings.path)),
                                  statusOf: { _ in nil })
        try await runtime.reconcile(hedgeMode: false)
        try await runtime.run(market: CandleFileFeed(data: data).events(symbols: data.symbols), delivery: .inbox)
        let trades = await runtime.trades
        let wallet = await runtime.walletBalance
        let net = trades.reduce(Money.zero) { $0 + $1.netPnL }
        try store.finishRun(id: runID, finishedAt: clock.now, summaryJSON: "{\"trades\":\(trades.count),\"net_pnl\":\"\(net)\"}")
        return PaperRunResult(runID: runID, symbols: data.symbols, trades: trades, alerts: await runtime.alerts, walletBalance: wallet)
    }
}
