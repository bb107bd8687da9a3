import Backtest
import BinanceFutures
import Logging
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
        guard strategy.name == .emaCross else {
            throw BacktestRunError("paper trading runs the ema-cross strategy in this build, not \(strategy.name.rawValue)")
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
        let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: data.start, configHash: config.fingerprint,
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

    /// Paper trading on live market data (`qt paper --venue URL`): the same runtime and simulated
    /// execution, with prices from `feed` (mark prices or trades, per `[execution]
    /// trigger_price_source`) and bars from its closed candles of `barInterval`. Runs until the
    /// feed ends, the task is cancelled or `observer` stops it. `replayClock` (tests, a local
    /// venue replay) follows event time; live uses `clock` as is and ticks every `timerInterval`.
    public static func run(config: AppConfig, symbols: [Symbol], feed: any MarketDataFeed, barInterval: Duration, clock: any TradingClock,
                           replayClock: ManualClock?, timerInterval: Duration?, store: any TradeStore,
                           alerting: any Alerting, observer: (any RuntimeObserver)? = nil) async throws -> PaperRunResult {
        guard let strategy = config.strategy else {
            throw BacktestRunError("the configuration has no [strategy] section; paper trading needs one (name, entry_gate)")
        }
        guard strategy.name == .emaCross else {
            throw BacktestRunError("paper trading runs the ema-cross strategy in this build, not \(strategy.name.rawValue)")
        }
        guard config.execution.policy == .referenceBracket else {
            throw BacktestRunError("strategy \(strategy.name.rawValue) is protected by the reference bracket exit in this build; set [execution] "
                                   + "policy = \"reference-bracket\"")
        }
        guard !symbols.isEmpty else { throw BacktestRunError("name the symbols to paper-trade (--symbols LINKUSDT,...)") }
        let settings = config.backtest
        let instruments = try symbols.map { symbol throws(BacktestRunError) in try settings.instrument(for: symbol) }
        let emaSettings = BacktestRunner.emaCrossSettings(strategy: strategy, settings: settings)
        let kernel = EMACrossBacktest.makeKernel(instruments: instruments, settings: emaSettings, interval: barInterval, runTag: "pp")
        let client = SimulatedExecutionClient(
            exchange: SimulatedExchange(instruments: instruments, initialBalance: settings.initialBalance, settings: emaSettings.exchange), clock: clock)
        let inbox = ExecutionInbox()
        client.observe { inbox.append(contentsOf: $0) }
        let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: clock.now, configHash: config.fingerprint,
                                                 detail: "paper \(strategy.name.rawValue) on live market data: \(symbols.map(\.name).joined(separator: ","))"))
        let source: PriceEvent.Source = config.execution.triggerPriceSource == .markPrice ? .markPrice : .lastTrade
        let runtime = LiveRuntime(kernel: kernel, client: client, venue: client, inbox: inbox, store: store, runID: runID, alerting: alerting,
                                  clock: clock, replayClock: replayClock, planner: nil,
                                  settings: LiveRuntimeSettings(runTag: "pp", priceDriving: .streams(source)), statusOf: { _ in nil })
        try await runtime.reconcile(hedgeMode: false)
        try await runtime.run(market: feed.events(symbols: symbols), delivery: .inbox, timerInterval: timerInterval, observer: observer)
        let trades = await runtime.trades
        let net = trades.reduce(Money.zero) { $0 + $1.netPnL }
        try store.finishRun(id: runID, finishedAt: clock.now, summaryJSON: "{\"trades\":\(trades.count),\"net_pnl\":\"\(net)\"}")
        return PaperRunResult(runID: runID, symbols: symbols, trades: trades, alerts: await runtime.alerts, walletBalance: await runtime.walletBalance)
    }

    /// Binance(-compatible) combined market streams at `websocketURL` (mark price 1 s, trades,
    /// 1 m klines), reconnecting with back-off.
    public static func venueFeed(websocketURL: String, clock: any TradingClock, logger: Logger = Logger(label: "qt.paper")) -> any MarketDataFeed {
        BinanceMarketDataFeed(urls: BinanceStreamURLs(base: websocketURL), connector: WSClientConnector(logger: logger), clock: clock, seed: 1,
                              logger: logger, sleep: { try await Task.sleep(for: $0) })
    }
}
