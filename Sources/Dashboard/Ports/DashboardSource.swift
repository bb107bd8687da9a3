/// What the console reads. `TraderApp` implements it over the trade store and, inside a running
/// session, the runtime's latest state (positions with marks, stream and reconciliation state).
/// A method that cannot read its data throws `DashboardError.unavailable`: the page says so and
/// the API answers 503, never an empty list that looks like "nothing open".
public protocol DashboardSource: Sendable {
    func session() async -> SessionInfo
    func positions() async throws(DashboardError) -> [PositionRow]
    func risk() async throws(DashboardError) -> RiskView
    /// The latest `limit` signals with the gate's decisions, newest first.
    func signals(limit: Int) async throws(DashboardError) -> [SignalRow]
    /// The latest `limit` closed trades, newest first.
    func trades(limit: Int) async throws(DashboardError) -> [TradeRow]
    /// The latest `limit` alerts, newest first.
    func alerts(limit: Int) async throws(DashboardError) -> [AlertRow]
    /// The equity samples of the session's run (or the latest paper/live run), oldest first, at most `limit`.
    func equity(limit: Int) async throws(DashboardError) -> [EquityPoint]
    /// The latest `limit` runs, newest first.
    func runs(limit: Int) async throws(DashboardError) -> [RunRow]
    /// The strategy or model in use; nil when not known (a store-only view without a configuration).
    func model() async -> ModelView?
    /// Real checks: streams in sync, reconciled, store writable, market data fresh.
    func readiness() async -> Readiness
}

/// Why the console cannot show or do something.
public struct DashboardError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    public static func unavailable(_ what: String, _ error: any Error) -> DashboardError {
        DashboardError("\(what) cannot be read: \(error)")
    }
}
