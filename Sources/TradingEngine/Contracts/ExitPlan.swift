import TradingModel

/// One take-profit slice: close `quantity` when price reaches `price`.
public struct ExitTarget: Sendable, Hashable, Codable {
    /// Price on the tick grid, rounded so it never promises more than intended.
    public var price: Price
    /// Quantity on the step grid. Slices add up to the position quantity.
    public var quantity: Quantity
    /// The target as a price move from entry (`0.0083` = 0.83%).
    public var priceMove: Rate
    /// Which take-profit level this slice is (1 = TP1). Slices below minimum notional are merged
    /// into the next one, so the n-th slice is not always TP n; 0 when unknown.
    public var level: Int

    public init(price: Price, quantity: Quantity, priceMove: Rate, level: Int = 0) {
        self.price = price
        self.quantity = quantity
        self.priceMove = priceMove
        self.level = level
    }
}

/// The complete exit plan of a position, computed before entry from its actual leverage.
/// Produced by the exit engine's planner (`ExitBrain`); the validator refuses an entry whose
/// plan cannot be made (stop beyond liquidation, slice below minimum notional, …).
public struct ExitPlan: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var side: Side
    public var entryPrice: Price
    public var quantity: Quantity
    public var leverage: Int
    /// Local stop (the executor closes at market when price crosses it), on the tick grid,
    /// rounded toward the safe side.
    public var stopPrice: Price
    /// The stop as a price move against the position (`0.012` = 1.20%).
    public var stopMove: Rate
    /// Take-profit slices in the order they are reached.
    public var targets: [ExitTarget]
    /// Trigger price of the exchange-side reduce-only close-position stop: the stop plus a buffer,
    /// so the local executor normally acts first.
    public var backstopPrice: Price
    /// Estimated liquidation price from the maintenance-margin tiers.
    public var liquidationPrice: Price

    public init(symbol: Symbol, side: Side, entryPrice: Price, quantity: Quantity, leverage: Int, stopPrice: Price, stopMove: Rate,
                targets: [ExitTarget], backstopPrice: Price, liquidationPrice: Price) {
        self.symbol = symbol
        self.side = side
        self.entryPrice = entryPrice
        self.quantity = quantity
        self.leverage = leverage
        self.stopPrice = stopPrice
        self.stopMove = stopMove
        self.targets = targets
        self.backstopPrice = backstopPrice
        self.liquidationPrice = liquidationPrice
    }
}

/// Why an exit plan could not be made. The entry is refused with this reason.
public struct ExitPlanRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Port between validation and the exit engine: makes the plan for a prospective position.
public protocol ExitPlanning: Sendable {
    func plan(symbol: Symbol, side: Side, entryPrice: Price, quantity: Quantity, leverage: Int,
              instrument: Instrument) -> Result<ExitPlan, ExitPlanRejection>
}
