import ServiceLifecycle
import TradingEngine
import TradingModel

extension TraderBuilder {
    /// `qt paper`: the configuration's strategy, gate and exit owner with simulated execution.
    ///
    /// - `.files`: the backtest engine on the files (`PaperRunner+Files`: the same trades as `qt
    ///   backtest`), recorded as a paper run; the dashboard beside it when enabled, no alerts sent.
    /// - `.venue` / `.localVenue`: the live runtime on the venue's market streams with a
    ///   `SimulatedExecutionClient` (the local venue: in-process, replaying the file), beside the
    ///   alert services and the dashboard. The strategy (for `ml-ensemble` the model, checked for
    ///   the symbols and the period: a replayed file's span, else from now) is resolved here, once.
    func buildPaper(_ source: PaperSource) throws(StartupError) -> Trader {
        let strategy = try strategySettings("paper trading")
        let clock = environment.clock
        switch source {
        case .files(let files):
            guard !files.isEmpty else { throw StartupError(.data, "give candle files with --data FILE...", field: "--data") }
            let store = try openStore()
            let label = "paper on \(files.joined(separator: " "))"
            let dashboard = try makeDashboard(store: store, label: label)
            let (config, alerting, observer) = (config, environment.console ?? SilentAlerting(), self.observer(alerts: nil, dashboard: dashboard?.0))
            return Trader(kind: .paper, label: label, store: store, alerts: nil, others: dashboard.map { [.init(service: $0.1)] } ?? [], environment: environment,
                          notes: [], session: { _ in
                              try await cancelWhenGracefulShutdown {
                                  .paper(try await PaperRunner.run(config: config, dataFiles: files, store: store, alerting: alerting,
                                                                   observer: observer))
                              }
                          })
        case .venue(let websocketURL, let restURL, let symbols):
            guard !symbols.isEmpty else {
                throw StartupError(.data, "name the symbols to paper-trade (--symbols LINKUSDT,...)", field: "--symbols")
            }
            guard let rest = restURL ?? PaperRunner.restURL(forStreams: websocketURL) else {
                throw StartupError(.confirmation, "--venue \(websocketURL) is not a ws:// or wss:// URL; give it as one "
                                   + "(or name the REST base for the back-fill with --rest URL)", field: "--venue")
            }
            let choice = try StrategyChoice(strategy, symbols: symbols, barInterval: .seconds(60), period: (clock.now, clock.now))
            let store = try openStore()
            let label = "paper on \(websocketURL): \(symbols.map(\.name).joined(separator: ","))"
            let alerts = try makeAlerts(store: store, label: label)
            let dashboard = try makeDashboard(store: store, label: label)
            let observer = self.observer(alerts: alerts, dashboard: dashboard?.0)
            let (config, timerInterval, logger) = (config, environment.timerInterval, environment.logger)
            let feed = PaperRunner.venueFeed(websocketURL: websocketURL, clock: clock, logger: logger)
            let history = PaperRunner.venueHistory(restURL: rest, logger: logger)
            return Trader(kind: .paper, label: label, store: store, alerts: alerts, others: dashboard.map { [.init(service: $0.1)] } ?? [],
                          environment: environment, notes: choice.notes, stopDetail: Self.paperStopDetail, session: { stop in
                              .paper(try await PaperRunner.run(config: config, choice: choice, symbols: symbols, feed: feed, barInterval: .seconds(60),
                                                               clock: clock, eventClock: nil, timerInterval: timerInterval, store: store,
                                                               alerting: alerts.center, observer: observer, history: history, until: stop))
                          })
        case .localVenue(let file, let bars, let pacing):
            let symbol: Symbol, candles: [Candle]
            do { (symbol, candles) = try LocalVenuePaper.loadCandles(dataFile: file, maxBars: bars) } catch {
                throw StartupError(.data, error.message, field: "--local-venue", cause: error)
            }
            let choice = try StrategyChoice(strategy, symbols: [symbol], barInterval: .seconds(60),
                                            period: (candles[0].openTime, candles[candles.count - 1].openTime))
            let store = try openStore()
            let label = "paper on the local venue: \(file)"
            // The alert rules compare the owners' price-event times with their clock: venue time here.
            let venueClock = LocalVenuePaper.venueClock(candles)
            let alerts = try makeAlerts(store: store, label: label, clock: venueClock)
            let dashboard = try makeDashboard(store: store, label: label)
            let observer = self.observer(alerts: alerts, dashboard: dashboard?.0)
            // Phone commands and the dashboard's buttons act at the runtime's timer ticks (close requests, manual halts).
            let ticks: Duration? = alerts.poller == nil && dashboard == nil ? nil : environment.timerInterval
            let (config, logger, say) = (config, environment.logger, environment.say)
            let channels = alerts.channels.isEmpty ? "store and log only" : alerts.channels.joined(separator: ", ")
            return Trader(kind: .paper, label: label, store: store, alerts: alerts, others: dashboard.map { [.init(service: $0.1)] } ?? [],
                          environment: environment, notes: choice.notes, stopDetail: Self.paperStopDetail, session: { stop in
                              .localVenuePaper(try await LocalVenuePaper.run(
                                  config: config, symbol: symbol, candles: candles, choice: choice, pacing: pacing, clock: venueClock, store: store,
                                  alerting: alerts.center, logger: logger, observer: observer, timerInterval: ticks,
                                  onListening: { port in
                                      say("paper: local venue on ws://127.0.0.1:\(port) replaying \(file)\(bars.map { " (first \($0) bars)" } ?? ""), "
                                          + "simulated execution; alerts: \(channels)")
                                  }, until: stop))
                          })
        }
    }

    /// The "stopping" message's line for a paper run.
    @Sendable static func paperStopDetail(_ outcome: TraderOutcome) -> String {
        let run: PaperRunResult
        switch outcome {
        case .paper(let result): run = result
        case .localVenuePaper(let result): run = result.run
        default: return "stopped"
        }
        return "\(run.trades.count) trade(s), net \(run.trades.reduce(Money.zero) { $0 + $1.netPnL }) USDT"
    }
}

/// Alerts nowhere (a file replay's alerts are recorded in the store and returned in its result).
struct SilentAlerting: Alerting {
    func send(_ alert: Alert) async {}
}
