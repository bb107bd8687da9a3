import BinanceFutures
import Logging
import TradingEngine
import TradingModel

extension MoneyFlowReport {
    /// `qt flow --venue`: the flow of `runID` in the store at `path`, reconciled with the income
    /// history of the account behind `credentials` on `live` (`[live]` of the configuration).
    /// `transport` replaces the HTTP client (tests: a local or scripted venue).
    public static func open(storePath path: String, runID: Int64?, live: LiveSettings, credentials: LiveCredentials, clock: any TradingClock,
                            transport: (any HTTPTransport)? = nil, pageLimit: Int = BinanceRESTClient.incomePageLimit,
                            logger: Logger = Logger(label: "qt.flow"),
                            pause: @escaping @Sendable (Duration) async -> Void) async throws(AnalyticsError) -> MoneyFlowReport {
        let store: any TradeStore
        do { store = try TradeStoreFactory.openReadOnly(sqlitePath: path) } catch { throw AnalyticsError.store(path, error) }
        var report = try make(store: store, storeName: path, runID: runID)
        let rest = AnalyticsVenue.restClient(live: live, credentials: credentials, clock: clock, transport: transport, logger: logger)
        do throws(ExecutionError) {
            try await rest.syncServerTime()
        } catch {
            report.income = .failed("cannot read the venue's server time at \(live.restURL): \(error)")
            return report
        }
        try await report.reconcileIncome(store: store, rest: rest, now: rest.serverNow, pageLimit: pageLimit, pause: pause)
        return report
    }
}
