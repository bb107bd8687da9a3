import Alerts
import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel
import UnixSignals

/// `qt paper --venue URL`: the paper session on a venue's market streams as the trading service
/// beside the alert services. SIGINT/SIGTERM (or `shutdown` in tests) stops the session first —
/// what was received is handled, the run is finished in the store with its summary — then the
/// "stopping" message goes out and the notifiers drain. `observer` replaces the alerts' observer
/// (the alerts' and the dashboard's together); `others` run in the same group (the dashboard).
public enum PaperVenueSession {
    public static func run(config: AppConfig, symbols: [Symbol], label: String, feed: any MarketDataFeed, history: PaperHistory?,
                           store: any TradeStore, alerts: AlertServices, clock: any TradingClock, timerInterval: Duration? = .seconds(1),
                           signals: [UnixSignal] = [.sigint, .sigterm], shutdown: (@Sendable () async -> Void)? = nil,
                           observer: (any RuntimeObserver)? = nil, others: [any Service] = [],
                           logger: Logger = Logger(label: "qt.paper")) async throws -> PaperRunResult {
        let observer: any RuntimeObserver = observer ?? alerts.observer
        return try await alerts.runSession(label: label, stopDetail: stopDetail, signals: signals, shutdown: shutdown, others: others,
                                           logger: logger) { stop in
            try await PaperRunner.run(config: config, symbols: symbols, feed: feed, barInterval: .seconds(60), clock: clock, eventClock: nil,
                                      timerInterval: timerInterval, store: store, alerting: alerts.center, observer: observer,
                                      history: history, until: stop)
        }
    }

    /// The "stopping" message's line for a paper run.
    @Sendable public static func stopDetail(_ value: any Sendable) -> String {
        guard let result = value as? PaperRunResult else { return "stopped" }
        return "\(result.trades.count) trade(s), net \(result.trades.reduce(Money.zero) { $0 + $1.netPnL }) USDT"
    }
}
