import TradingEngine
import TradingModel

/// What the venue reports at start-up or after a reconnect.
public struct VenueState: Sendable, Hashable {
    public var positions: [PositionSnapshot]
    /// Open regular orders and open algo (conditional) orders.
    public var openOrders: [OrderSnapshot]
    public init(positions: [PositionSnapshot], openOrders: [OrderSnapshot]) {
        self.positions = positions
        self.openOrders = openOrders
    }
}

/// What this run already protects: symbols whose position has an exit owner, and the client ids
/// of the exchange stops those owners manage (never cancelled by reconciliation), and the
/// symbols the run trades (`--symbols`): positions and orders of any other symbol belong to
/// someone else (another bot, a person, an earlier run with more symbols) and are only reported.
public struct LocalState: Sendable, Hashable {
    public var ownedSymbols: Set<Symbol>
    public var ownedStopIDs: Set<ClientOrderID>
    /// nil: every symbol is the run's (tests of the planner alone).
    public var tradedSymbols: Set<Symbol>?

    public init(ownedSymbols: Set<Symbol>, ownedStopIDs: Set<ClientOrderID>, tradedSymbols: Set<Symbol>? = nil) {
        self.ownedSymbols = ownedSymbols
        self.ownedStopIDs = ownedStopIDs
        self.tradedSymbols = tradedSymbols
    }

    func trades(_ symbol: Symbol) -> Bool { tradedSymbols?.contains(symbol) ?? true }
}

/// One repair, in the order it must be performed.
public enum ReconciliationStep: Sendable, Hashable {
    /// Take over a position that has no exit owner: owner from `plan` (entry price and actual
    /// leverage); its exchange backstop is placed before anything else.
    case adopt(PositionSnapshot, plan: ExitPlan)
    /// Close a position that cannot be protected (reduce-only market).
    case close(PositionSnapshot, reason: String)
    /// Cancel a venue order (orphan stop of a flat symbol, duplicate backstop).
    case cancel(OrderSnapshot, reason: String)
    /// Cancel an old stop of an adopted position, but only once its new owner's backstop rests
    /// at the venue: a position is never left without any stop in between.
    case cancelOnceProtected(OrderSnapshot, reason: String)
    /// A position or order of a symbol this run does not trade: reported and alerted, never
    /// touched (not closed, not adopted, its stops never cancelled).
    case reportForeign(symbol: Symbol, detail: String)
}

/// Compares the venue's positions and open orders with what this run protects, and lists the
/// repairs. Pure: no I/O; the runtime performs the steps and records and alerts each.
///
/// - Symbols outside the run's `--symbols`: their positions and orders are reported, never
///   touched.
/// - A position without an exit owner: adopted with a plan from its entry price and actual
///   leverage, its old stops cancelled only once the new backstop rests; closed when no plan can
///   be made (no planner, stop beyond liquidation), its stops left in place (a stop is never
///   cancelled for a position that is not yet closed or re-protected; once flat they are
///   orphans). Adoption steps come first.
/// - Reduce-only / close-position orders of a flat symbol: orphans, cancelled.
/// - Several exchange stops for one position: the owner's own stop is kept, else the tighter one
///   (nearest to the price: highest for a long, lowest for a short); the rest are cancelled. A
///   position being adopted gets its own new backstop, so every old stop of it is cancelled.
public enum Reconciliation {
    public typealias Planner = (PositionSnapshot) -> Result<ExitPlan, ExitPlanRejection>

    /// (A hedge-mode account never gets here: `BinanceLiveSession.open` refuses it.)
    public static func plan(venue: VenueState, local: LocalState, planner: Planner) -> [ReconciliationStep] {
        var first: [ReconciliationStep] = []
        var later: [ReconciliationStep] = []
        var foreign: [ReconciliationStep] = []
        let open = venue.positions.filter { !$0.signedQuantity.isZero }
        let openSymbols = Set(open.map(\.symbol))
        for position in open.sorted(by: { $0.symbol < $1.symbol }) where !local.trades(position.symbol) {
            let stops = venue.openOrders.filter { $0.request.symbol == position.symbol }.count
            foreign.append(.reportForeign(symbol: position.symbol, detail: "\(side(of: position)) \(position.signedQuantity.magnitude) at "
                                          + "\(position.entryPrice) with \(stops) open order(s), not traded by this run: left untouched"))
        }
        for symbol in Set(venue.openOrders.map(\.request.symbol)).subtracting(openSymbols).sorted() where !local.trades(symbol) {
            let count = venue.openOrders.filter { $0.request.symbol == symbol }.count
            foreign.append(.reportForeign(symbol: symbol, detail: "\(count) open order(s) and no position, not traded by this run: left untouched"))
        }
        for position in open.sorted(by: { $0.symbol < $1.symbol }) where local.trades(position.symbol) {
            let stops = exitStops(of: position, in: venue.openOrders)
            if local.ownedSymbols.contains(position.symbol) {
                later += deduplicate(stops, side: side(of: position), owned: local.ownedStopIDs)
                continue
            }
            switch planner(position) {
            case .success(let plan):
                first.append(.adopt(position, plan: plan))
                later += stops.map { .cancelOnceProtected($0, reason: "stop of an adopted position, replaced by its exit owner's backstop") }
            case .failure(let rejection):
                // Its stops stay until it is flat (then they are orphans of a flat symbol).
                first.append(.close(position, reason: "cannot be protected: \(rejection.message)"))
            }
        }
        for order in venue.openOrders.sorted(by: { $0.request.clientOrderID < $1.request.clientOrderID })
        where local.trades(order.request.symbol) && !openSymbols.contains(order.request.symbol)
            && (order.request.reduceOnly || order.request.closePosition) {
            later.append(.cancel(order, reason: "orphan reduce-only order of flat \(order.request.symbol)"))
        }
        return foreign + first + later
    }

    static func side(of position: PositionSnapshot) -> Side { position.signedQuantity.isNegative ? .short : .long }

    /// Conditional reduce-only / close-position orders on the closing side of `position`.
    static func exitStops(of position: PositionSnapshot, in orders: [OrderSnapshot]) -> [OrderSnapshot] {
        let closingSide = side(of: position).exitOrderSide
        return orders.filter {
            $0.request.symbol == position.symbol && $0.request.type == .stopMarket && $0.request.side == closingSide
                && ($0.request.reduceOnly || $0.request.closePosition)
        }
    }

    /// Keeps one stop: the owner's, else the tighter; cancels the rest.
    static func deduplicate(_ stops: [OrderSnapshot], side: Side, owned: Set<ClientOrderID>) -> [ReconciliationStep] {
        guard stops.count > 1 else { return [] }
        let keep = stops.first { owned.contains($0.request.clientOrderID) } ?? stops.max { lhs, rhs in
            let left = lhs.request.triggerPrice ?? .zero
            let right = rhs.request.triggerPrice ?? .zero
            return side == .long ? left < right : left > right
        }!
        return stops.filter { $0.request.clientOrderID != keep.request.clientOrderID }
            .sorted { $0.request.clientOrderID < $1.request.clientOrderID }
            .map { .cancel($0, reason: "duplicate backstop (kept \(keep.request.clientOrderID) at \(keep.request.triggerPrice.map { "\($0)" } ?? "?"))") }
    }
}
