import TradingModel

/// The result of sizing: quantity on the step grid, its notional and the derived leverage,
/// with the intermediate amounts so a person can retrace the arithmetic.
public struct PositionSize: Sendable, Hashable {
    /// `equity × riskPerTrade`: the loss allowed at the stop.
    public var riskBudget: Money
    /// `riskBudget / stopMove × sizeMultiplier`, before any cap.
    public var notionalBeforeCaps: Money
    /// Which caps bound the notional (empty when none did).
    public var cappedBy: [SizingCap]
    /// Quantity floored to the market step.
    public var quantity: Quantity
    /// `quantity × price`, rounded up (the conservative side for caps).
    public var notional: Money
    /// Smallest whole leverage with `notional / leverage ≤ marginBudget`.
    public var leverage: Int
    /// `min(equity × marginBudgetShare, availableMargin)`.
    public var marginBudget: Money
    /// `notional / leverage`, rounded up.
    public var margin: Money

    public init(riskBudget: Money, notionalBeforeCaps: Money, cappedBy: [SizingCap], quantity: Quantity, notional: Money,
                leverage: Int, marginBudget: Money, margin: Money) {
        self.riskBudget = riskBudget
        self.notionalBeforeCaps = notionalBeforeCaps
        self.cappedBy = cappedBy
        self.quantity = quantity
        self.notional = notional
        self.leverage = leverage
        self.marginBudget = marginBudget
        self.margin = margin
    }
}

/// A limit that bounded a position's notional during sizing.
public enum SizingCap: Sendable, Hashable, CustomStringConvertible {
    /// The per-symbol or total notional headroom.
    case notionalHeadroom(Money)
    /// `marginBudget × leverage cap`.
    case margin(Money, leverage: Int)
    /// The instrument's maximum market quantity.
    case maximumQuantity(Quantity)

    public var description: String {
        switch self {
        case .notionalHeadroom(let money): "notionalHeadroom(\(money))"
        case .margin(let money, let leverage): "margin(\(money), leverage: \(leverage))"
        case .maximumQuantity(let quantity): "maximumQuantity(\(quantity))"
        }
    }
}
