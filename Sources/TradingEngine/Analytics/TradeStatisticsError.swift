/// Why statistics could not be computed.
public enum TradeStatisticsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The selection holds no closed trade.
    case noTrades
    /// A sum does not fit the fixed-point range (a damaged store holds absurd amounts).
    case outOfRange(String)

    public var description: String {
        switch self {
        case .noTrades: "no closed trades to compute statistics over"
        case .outOfRange(let what): "\(what) is out of range (the store holds absurd amounts)"
        }
    }
}
