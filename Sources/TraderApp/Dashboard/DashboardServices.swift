import CoreMetrics
import Dashboard
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Storage
import TradingEngine
import TradingModel
import Alerts

/// The console of one process, built from `[dashboard]`: beside a session (`qt live`, `qt paper`)
/// with the session's `DashboardObserver`, or store-only (`qt dashboard --db FILE`). Refuses to
/// start without credentials (`qt dashboard set-password`) or with a remote bind that has
/// neither TLS nor the explicit allowance.
public struct DashboardServices: Sendable {
    public let settings: DashboardSettings
    /// The session's observer (put it in the runtime's observer list); nil store-only.
    public let observer: DashboardObserver?
    public let server: DashboardServer
    /// The insecure-remote warning, to print at start; nil when none.
    public let warning: String?

    /// - Parameters:
    ///   - inSession: true beside a trading session (an observer is made), false store-only.
    ///   - credentials: nil reads `settings.credentialsFile`.
    public init(settings: DashboardSettings, store: any TradeStore, label: String, strategy: StrategySettings?, clock: any TradingClock,
                inSession: Bool, priceSource: PriceEvent.Source, credentials: DashboardCredentials? = nil,
                metrics: PrometheusCollectorRegistry? = AppMetrics.prometheus, logger: Logger = Logger(label: "qt.dashboard"),
                makeToken: @escaping @Sendable () -> String = DashboardServer.randomToken,
                observerMetrics: any MetricsFactory = MetricsSystem.factory) throws(DashboardError) {
        self.settings = settings
        warning = try settings.checkBind()
        let loaded: DashboardCredentials
        if let credentials { loaded = credentials } else { loaded = try DashboardCredentials.load(path: Self.expand(settings.credentialsFile)) }
        let observer = inSession ? DashboardObserver(priceSource: priceSource, clock: clock, factory: observerMetrics) : nil
        self.observer = observer
        var probe: (@Sendable () throws -> Void)?
        if let sqlite = store as? SQLiteTradeStore {
            probe = { try sqlite.checkWritable() }
        }
        let source = StoreDashboardSource(store: store, observer: observer, label: label, clock: clock, staleAfter: settings.staleAfter,
                                          model: DashboardModelInfo.view(strategy: strategy), storeProbe: probe)
        let progress: @Sendable () async -> Void
        if let observer {
            progress = {
                let seen = observer.progress.current
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await observer.progress.wait { $0 > seen } }
                    // A session that stopped handling inputs must not hang the page: read again after a moment.
                    group.addTask { try? await Task.sleep(for: .milliseconds(500)) }
                    await group.next()
                    group.cancelAll()
                }
            }
        } else {
            progress = { try? await Task.sleep(for: .milliseconds(250)) }
        }
        let control = StoreDashboardControl(store: store, clock: clock, progress: progress,
                                            runID: { observer?.snapshot.flatMap { $0.state.runID > 0 ? $0.state.runID : nil } }, logger: logger)
        server = DashboardServer(settings: settings, credentials: loaded, source: source, control: control, metrics: metrics,
                                 environment: DashboardServer.Environment(clock: clock, makeToken: makeToken, logger: logger))
    }

    /// The HTTP(S) server as a `Service` for the session's `ServiceGroup`; `onRunning` gets the bound port.
    public func service(onRunning: @escaping @Sendable (Int) async -> Void) throws(DashboardError) -> some Service {
        try server.application(onRunning: onRunning)
    }

    /// `http(s)://host:port`.
    public func url(port: Int) -> String { "\(settings.usesTLS ? "https" : "http")://\(settings.host):\(port)" }

    /// `~/…` → `$HOME/…`.
    public static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst(1)
    }
}
