import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import TraderApp
import TradingEngine
import TradingModel

/// The console beside a trading session (`qt live`, `qt paper`): built when `[dashboard] enabled`,
/// refused (the session does not start) without credentials or with an unsafe bind.
enum DashboardLaunch {
    static func make(_ config: AppConfig, store: any TradeStore, label: String, clock: any TradingClock) throws(DashboardError) -> DashboardServices? {
        guard config.dashboard.enabled else { return nil }
        let dashboard = try DashboardServices(settings: config.dashboard, store: store, label: label, strategy: config.strategy, clock: clock,
                                              inSession: true,
                                              priceSource: config.exit.priceSource.priceEventSource)
        if let warning = dashboard.warning { printLiveError(warning) }
        return dashboard
    }

    /// The dashboard's server as a service (empty without a dashboard); prints its address once bound.
    static func services(_ dashboard: DashboardServices?) throws(DashboardError) -> [any Service] {
        guard let dashboard else { return [] }
        return [try dashboard.service { port in say("dashboard: \(dashboard.url(port: port)) (log in with the password from qt dashboard set-password)") }]
    }

    /// `observer` and the dashboard's, as one.
    static func observer(_ observer: any RuntimeObserver, _ dashboard: DashboardServices?) -> any RuntimeObserver {
        guard let extra = dashboard?.observer else { return observer }
        return RuntimeObservers([observer, extra])
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
