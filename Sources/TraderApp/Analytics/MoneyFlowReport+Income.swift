import BinanceFutures
import TradingEngine
import TradingModel
import Foundation

/// The flow reconciled with the exchange's income history (`GET /fapi/v1/income`).
extension MoneyFlowReport {
    /// Whether and how the exchange's income was compared.
    public enum ExchangeIncomeStatus: Sendable {
        /// No keys were given (or the run did not trade on an exchange).
        case notAsked
        /// The history could not be read: the venue's error, classified.
        case failed(String)
        /// Compared; with what fetching cost and what could not be reached.
        case reconciled(IncomeReconciliation, requests: Int, retries: Int, crowded: [Timestamp], beyondRetention: Bool)
    }

    /// How long Binance keeps income history.
    public static let incomeRetention: Duration = .seconds(90 * 24 * 3600)

    /// Reads the exchange's income over the run's period (start to finish, or to `now` for a run
    /// still going) through `rest` and reconciles it with the run's trades and fills in `store`.
    /// A venue failure is recorded in `income`, never thrown: the store's flow stands on its own.
    public mutating func reconcileIncome(store: any TradeStore, rest: BinanceRESTClient, now: Timestamp,
                                         pageLimit: Int = BinanceRESTClient.incomePageLimit,
                                         pause: @Sendable (Duration) async -> Void) async throws(AnalyticsError) {
        let from = run.startedAt, to = run.finishedAt ?? now
        let history: IncomeHistory
        do throws(ExecutionError) {
            history = try await rest.incomeHistory(start: from, end: to, pageLimit: pageLimit, pause: pause)
        } catch {
            income = .failed("\(Self.kindName(error.kind))\(error.code.map { " \($0)" } ?? ""): \(error.message)")
            return
        }
        try reconcile(store: store, rows: history.rows, from: from, to: to, requests: history.requests, retries: history.retries,
                      crowded: history.crowdedMilliseconds, now: now)
    }

    /// Reconciles rows already read (the part of `reconcileIncome` without the venue).
    public mutating func reconcile(store: any TradeStore, rows: [ExchangeIncome], from: Timestamp, to: Timestamp, requests: Int = 0,
                                   retries: Int = 0, crowded: [Timestamp] = [], now: Timestamp) throws(AnalyticsError) {
        let id = run.id ?? 0
        do {
            let reconciliation = try IncomeReconciliation.of(trades: try store.trades(runID: id), fills: try store.fills(runID: id),
                                                             income: rows, from: from, to: to)
            income = .reconciled(reconciliation, requests: requests, retries: retries, crowded: crowded,
                                 beyondRetention: from < Timestamp(milliseconds: now.milliseconds - Self.incomeRetention.components.seconds * 1000))
        } catch let error as TradeStatisticsError {
            throw AnalyticsError("income reconciliation: \(error)")
        } catch {
            throw AnalyticsError("income reconciliation: the store cannot be read: \(error)")
        }
    }

    static func kindName(_ kind: ExecutionErrorKind) -> String {
        switch kind {
        case .configuration: "configuration error"
        case .transient: "venue unavailable (retried)"
        case .rateLimited(let wait): "rate limited" + (wait.map { " (retry after \($0))" } ?? "")
        case .rejected: "rejected"
        case .unknownStatus: "unknown outcome"
        }
    }

    /// The income section of the text report.
    var incomeLines: [String] {
        switch income {
        case .notAsked:
            return [run.kind == .live
                    ? "exchange income:  not reconciled: give the account's API keys (qt flow --venue, keys as for qt live) to compare with GET /fapi/v1/income"
                    : "exchange income:  n/a (\(run.kind.rawValue) run: no exchange)"]
        case .failed(let reason):
            return ["exchange income:  NOT RECONCILED: the income history could not be read (\(reason)); the store's figures above stand unchecked"]
        case .reconciled(let r, let requests, let retries, let crowded, let beyondRetention):
            var lines = ["exchange income (GET /fapi/v1/income \(r.from) … \(r.to); \(requests) requests, \(retries) retried); wallet effect, − paid:"]
            for line in r.lines {
                let label = "  \(line.symbol) \(line.component.rawValue)".padding(toLength: 30, withPad: " ", startingAt: 0)
                var text = label + "store \(line.store), exchange \(line.exchange) (\(line.rows) rows), difference \(line.difference)"
                if !line.difference.isZero { text += "  NOT EXPLAINED" }
                if line.foreign { text += " (a symbol this run never traded)" }
                lines.append(text)
            }
            if r.lines.isEmpty { lines.append("  no trading income in the period, none in the store") }
            for name in r.otherIncome.keys.sorted() {
                let tally = r.otherIncome[name]!
                lines.append("  other: \(name) \(tally.rows) rows, \(tally.amount) (moves the wallet, not trading income)")
            }
            if r.otherAssetRows > 0 { lines.append("  other: \(r.otherAssetRows) rows in another asset than USDT, not summed") }
            if !crowded.isEmpty { lines.append("  WARNING: 1000 or more rows at \(crowded.map { "\($0)" }.joined(separator: ", ")): rows beyond them may be missing") }
            if beyondRetention { lines.append("  WARNING: the run began more than 90 days ago; Binance keeps 3 months of income, older rows are gone") }
            lines.append("unexplained income: " + (r.unexplained.isZero ? "0 (the exchange's income matches the store exactly)" : "\(r.unexplained) USDT NOT EXPLAINED (exchange − store)"))
            return lines
        }
    }
}
