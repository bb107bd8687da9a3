import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel

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
    /// Services beside the session (the dashboard's server).
    let others: [any Service]
    let environment: TraderEnvironment
    /// Lines about the strategy (model, windows, in-sample warning).
    public let notes: [String]
    /// Where a live session trades (nil for the other modes).
    public let livePlan: LivePlan?
    /// The live session's store and account locks, released when `run` returns.
    let lock: LiveLock?
    let stopDetail: @Sendable (TraderOutcome) -> String
    let session: @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> TraderOutcome

    init(kind: Kind, label: String, store: (any TradeStore)?, alerts: AlertServices?, others: [any Service], environment: TraderEnvironment,
         notes: [String], livePlan: LivePlan? = nil, lock: LiveLock? = nil,
         stopDetail: @escaping @Sendable (TraderOutcome) -> String = { _ in "stopped" },
         session: @escaping @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> TraderOutcome) {
        self.kind = kind
        self.label = label
        self.store = store
        self.alerts = alerts
        self.others = others
        self.environment = environment
        self.notes = notes
        self.livePlan = livePlan
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
        let trading = TradingSessionService(center: alerts?.center, clock: environment.clock, startDetail: label,
                                            stopDetail: { ($0 as? TraderOutcome).map(stopDetail) ?? "stopped" },
                                            session: session)
        var services = alerts?.serviceConfigurations ?? []
        services += others.map { .init(service: $0) }
        services.append(.init(service: trading, successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        var quiet = environment.logger
        quiet.logLevel = .warning
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: environment.signals,
                                                                          logger: quiet))
        try await group.run(until: environment.shutdown)
        guard let outcome = try trading.result(as: TraderOutcome.self) else {
            throw StartupError(.services, "the \(kind.rawValue) session did not run")
        }
        return outcome
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
