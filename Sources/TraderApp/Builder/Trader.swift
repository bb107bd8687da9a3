import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel
import UnixSignals

/// A trader `TraderBuilder` built: the trading session and the services beside it, ready to run.
///
/// `run` runs them in one `ServiceGroup`: the alert services (delivery queues, dispatcher, alert
/// timer, Telegram command poller) when the session is on a venue, the dashboard when
/// `[dashboard] enabled`, and the trading session itself. SIGINT/SIGTERM (the environment's
/// `signals`) or the environment's `shutdown` returning shut the group down gracefully, in
/// reverse order: the trading session stops first (live: nothing is sent or closed, positions
/// keep their exchange-side backstops; paper: what was received is handled and the run is
/// finished), then the dashboard and the poller, then the notifiers deliver the "stopping"
/// message and drain. The group also ends when the session ends by itself (a replay that ran
/// out of data). A backtest has no services: `run` replays off the cooperative pool.
public struct Trader: Sendable {
    public enum Kind: String, Sendable {
        case backtest, paper, live
    }

    public let kind: Kind
    /// How the session is named in alerts, `/status` and the dashboard.
    public let label: String
    /// The store the run is recorded in (nil for a backtest until its run completed).
    public let store: (any TradeStore)?
    /// The alert services (sessions on a venue), nil otherwise.
    public let alerts: AlertServices?
    /// Services beside the session, started before it and so shut down after it: the
    /// dashboard's server; a live session's lanes, streams and timer (`LiveSessionServices`).
    let others: [ServiceGroupConfiguration.ServiceConfiguration]
    let environment: TraderEnvironment
    /// Lines about the strategy (model, windows, in-sample warning).
    public let notes: [String]
    /// Where a live session trades (nil for the other modes).
    public let venueAccess: VenueAccess?
    /// The live session's store and account locks, released when `run` returns.
    let lock: LiveLock?
    let stopDetail: @Sendable (TraderOutcome) -> String
    let session: @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> TraderOutcome

    init(kind: Kind, label: String, store: (any TradeStore)?, alerts: AlertServices?, others: [ServiceGroupConfiguration.ServiceConfiguration], environment: TraderEnvironment,
         notes: [String], venueAccess: VenueAccess? = nil, lock: LiveLock? = nil,
         stopDetail: @escaping @Sendable (TraderOutcome) -> String = { _ in "stopped" },
         session: @escaping @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> TraderOutcome) {
        self.kind = kind
        self.label = label
        self.store = store
        self.alerts = alerts
        self.others = others
        self.environment = environment
        self.notes = notes
        self.venueAccess = venueAccess
        self.lock = lock
        self.stopDetail = stopDetail
        self.session = session
    }

    /// The run tag of a live session's client order ids (nil for the other modes).
    public var runTag: String? { lock?.runTag }

    /// Runs the session and its services until the session ends or is stopped; returns what it
    /// produced, or rethrows its error (`StartupError` when the venue refused the start-up,
    /// `CancellationError` when a file replay was stopped before its end).
    public func run() async throws -> TraderOutcome {
        defer { lock?.release() }
        if kind == .backtest { return try await session({}) }
        let stopDetail = self.stopDetail
        return try await Self.runServices(alerts: alerts, others: others, label: label, clock: environment.clock,
                                          stopDetail: { ($0 as? TraderOutcome).map(stopDetail) ?? "stopped" },
                                          signals: environment.signals, shutdown: environment.shutdown, logger: environment.logger, session)
    }

    /// The one lifecycle of a trading session and its services: `session` as the last service of
    /// one `ServiceGroup`, after the alert services (queues, dispatcher, timer, command poller) and
    /// `others`, until it ends by itself or one of `signals` (or `shutdown` returning) triggers the
    /// group's graceful shutdown, in reverse order: the session's `stop` returns and it stops
    /// (never cancelled), then `others`, then the alert services send "stopping" and drain.
    /// Returns the session's result; rethrows its error. `run` uses it with the trader's parts;
    /// tests run a session of their own in it.
    /// `clock`: the lifecycle messages' time when there are no alert services; with them, the
    /// clock their rules run on (a replayed venue's time on the local venue).
    public static func runServices<Value: Sendable>(
        alerts: AlertServices?, others: [ServiceGroupConfiguration.ServiceConfiguration] = [], label: String, clock: any TradingClock,
        stopDetail: @escaping @Sendable (any Sendable) -> String = { _ in "stopped" }, signals: [UnixSignal] = [.sigint, .sigterm],
        shutdown: (@Sendable () async -> Void)? = nil, logger: Logger,
        _ session: @escaping @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> Value
    ) async throws -> Value {
        let trading = TradingSessionService(center: alerts?.center, clock: alerts?.clock ?? clock, startDetail: label, stopDetail: stopDetail,
                                            session: { stop in try await session(stop) })
        var services = alerts?.serviceConfigurations ?? []
        services += others
        services.append(.init(service: trading, successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        var quiet = logger
        quiet.logLevel = .warning
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: quiet))
        try await group.run(until: shutdown)
        guard let value = try trading.result(as: Value.self) else {
            throw StartupError(.services, "the trading session \(label) did not run")
        }
        return value
    }
}

/// What a trader's run produced.
public enum TraderOutcome: Sendable {
    case backtest(BacktestRunResult, signalReplay: [String])
    case paper(PaperRunResult)
    case localVenuePaper(LocalVenuePaper.Outcome)
    case live(LiveRunResult)
}

extension ServiceGroup {
    /// Runs the group until it ends; `shutdown` returning (tests inject it) triggers its graceful
    /// shutdown as a signal does.
    func run(until shutdown: (@Sendable () async -> Void)?) async throws {
        guard let shutdown else { return try await run() }
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await self.run()
                return true
            }
            tasks.addTask {
                await shutdown()
                await self.triggerGracefulShutdown()
                return false
            }
            // Until the group has ended (the trigger's task ending is not the end).
            while let ended = try await tasks.next(), !ended {}
            tasks.cancelAll()
        }
    }
}
