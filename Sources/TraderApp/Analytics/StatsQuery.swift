import TradingEngine
import TradingModel

/// The closed trades a `TradeFilter` selects from a store, with the exit details each carries,
/// and the equity the daily figures are measured against.
public struct StatsQuery: Sendable {
    public var trades: [StatsTrade]
    /// The first equity sample of the earliest selected run that has one (nil: none recorded).
    public var recordedStartingEquity: Money?
    /// Closed trades in the store before filtering.
    public var storeTradeCount: Int

    /// Reads the selection. Errors (one line each): a store without runs, a run id the store
    /// does not hold, a filter that matches no closed trade, a store that cannot be read.
    public init(store: any TradeStore, storeName: String, filter: TradeFilter) throws(AnalyticsError) {
        let runs: [RunRecord]
        do { runs = try store.runs() } catch { throw AnalyticsError.store(storeName, error) }
        guard !runs.isEmpty else { throw AnalyticsError("\(storeName) holds no runs yet: run a backtest, paper or live session first") }
        let known = Set(runs.compactMap(\.id))
        if let missing = filter.runIDs.sorted().first(where: { !known.contains($0) }) {
            throw AnalyticsError("\(storeName) has no run \(missing) (runs \(known.min()!)…\(known.max()!); `qt status --db` lists them)")
        }
        var selected: [StatsTrade] = []
        var total = 0
        var startingEquity: Money?
        do {
            for run in runs {
                guard let id = run.id else { continue }
                let records = try store.trades(runID: id)
                total += records.count
                let trades = records.map {
                    StatsTrade(record: $0, runKind: run.kind, strategy: run.strategyName, targetsHit: $0.targetsHit,
                               plannedStop: $0.plannedStop, bestPrice: $0.bestPrice)
                }.filter(filter.matches)
                guard !trades.isEmpty else { continue }
                if startingEquity == nil { startingEquity = try store.equity(runID: id).first?.equity }
                selected += trades
            }
        } catch {
            throw AnalyticsError.store(storeName, error)
        }
        guard !selected.isEmpty else {
            throw AnalyticsError(total == 0 ? "\(storeName) holds no closed trades yet (\(runs.count) run\(runs.count == 1 ? "" : "s"))"
                                 : "no closed trades match \(filter.summary) (\(total) closed trades in \(storeName))")
        }
        trades = selected
        recordedStartingEquity = startingEquity
        storeTradeCount = total
    }
}
