import TradingModel

/// Groups trades whose holding periods overlap in time (across symbols too: positions open at
/// the same moment share the market's moves and are not independent observations).
///
/// Trades are sorted by entry; a trade joins the current group when it enters strictly before
/// the latest exit of the group so far. A trade entering exactly when another exits starts a new
/// group. O(n log n).
public enum OverlapGroups {
    /// The group number (0, 1, …, in entry order) of each trade, indexed like `trades`.
    public static func assign(_ periods: [(entry: Timestamp, exit: Timestamp)]) -> [Int] {
        let order = periods.indices.sorted { periods[$0].entry < periods[$1].entry || (periods[$0].entry == periods[$1].entry && $0 < $1) }
        var groups = [Int](repeating: 0, count: periods.count)
        var current = -1
        var groupEnd = Timestamp(milliseconds: .min)
        for index in order {
            let period = periods[index]
            if current < 0 || !(period.entry < groupEnd) {
                current += 1
                groupEnd = period.exit
            } else if period.exit > groupEnd {
                groupEnd = period.exit
            }
            groups[index] = current
        }
        return groups
    }

    /// Number of groups.
    public static func count(_ groups: [Int]) -> Int { (groups.max() ?? -1) + 1 }
}
