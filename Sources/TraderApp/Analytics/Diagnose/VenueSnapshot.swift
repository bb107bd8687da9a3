import BinanceFutures
import TradingEngine
import TradingModel

/// What `qt diagnose --venue` read from the exchange, section by section, before it is joined
/// with the store (`VenueDiagnosis`). Each section is read or says why not.
public struct VenueSnapshot: Sendable {
    /// One open position as the venue reports it, with its mark price.
    public struct Row: Sendable, Hashable {
        public var snapshot: PositionSnapshot
        public var markPrice: Price?
    }

    /// The REST base the account was read at (no keys).
    public var endpoint: String
    /// The venue's time of the reads (after the server-time sync), nil when even that failed.
    public var readAt: Timestamp?
    public var account: VenueRead<BinanceAccountTotals>
    public var config: VenueRead<BinanceAccountConfig>
    public var positions: VenueRead<[Row]>
    /// Regular and conditional (algo) orders resting on the venue.
    public var orders: VenueRead<[OrderSnapshot]>
    /// The latest live run's money flow, reconciled with the income history; nil when the store
    /// holds no live run. An unread income history is `income = .failed` inside it.
    public var money: VenueRead<MoneyFlowReport>?

    /// Every section was read (the income history included).
    public var isComplete: Bool {
        guard account.value != nil, config.value != nil, positions.value != nil, orders.value != nil else { return false }
        if let money {
            guard let report = money.value else { return false }
            if case .failed = report.income { return false }
        }
        return true
    }

    /// The sections that could not be read, each with its reason.
    public var unread: [(section: String, reason: String)] {
        var result: [(String, String)] = []
        if let problem = positions.problem { result.append(("positions", problem)) }
        if let problem = orders.problem { result.append(("open orders (stops)", problem)) }
        if let problem = account.problem { result.append(("account", problem)) }
        if let problem = config.problem { result.append(("account configuration", problem)) }
        if let money {
            if let problem = money.problem { result.append(("money", problem)) }
            if case .failed(let why)? = money.value?.income { result.append(("income history", "NOT READ: \(why)")) }
        }
        return result
    }
}
