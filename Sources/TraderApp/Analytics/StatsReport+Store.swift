import TradingEngine
import TradingModel

extension StatsReport {
    /// `qt stats` without the terminal: opens the existing store at `path` read-only (a missing,
    /// foreign or damaged file is an error and stays untouched), selects the trades and computes the statistics.
    /// `capital` overrides the recorded starting equity of the daily figures.
    public static func make(storePath path: String, filter: TradeFilter, capital: Money?) throws(AnalyticsError) -> StatsReport {
        let store: any TradeStore
        do { store = try TradeStoreFactory.openReadOnly(sqlitePath: path) } catch { throw AnalyticsError.store(path, error) }
        return try make(store: store, storeName: path, filter: filter, capital: capital)
    }

    public static func make(store: any TradeStore, storeName: String, filter: TradeFilter, capital: Money?) throws(AnalyticsError) -> StatsReport {
        let query = try StatsQuery(store: store, storeName: storeName, filter: filter)
        let equity = capital ?? query.recordedStartingEquity
        let stats: TradeStatistics
        do { stats = try TradeStatistics.compute(query.trades, startingEquity: equity) } catch {
            throw AnalyticsError("\(storeName): \(error)")
        }
        let runs = Array(Set(query.trades.map(\.record.runID))).sorted()
        let source = capital != nil ? "--capital" : equity != nil ? "first equity sample of run \(runs.first!)" : nil
        var decisions: [DecisionRecord] = []
        do { for run in runs { decisions += try store.decisions(runID: run) } } catch { throw AnalyticsError.store(storeName, error) }
        let entry: EntrySlippage
        do { entry = try EntrySlippage.of(trades: query.trades.map(\.record), decisions: decisions) } catch {
            throw AnalyticsError("\(storeName): \(error)")
        }
        return StatsReport(stats: stats, filter: filter, runIDs: runs, equitySource: source, entrySlippage: entry)
    }
}
