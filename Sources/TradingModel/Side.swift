/// The direction of a position.
public enum Side: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case long = "LONG"
    case short = "SHORT"

    /// +1 for long, −1 for short: PnL = sign × quantity × (exit − entry).
    @inlinable public var sign: Int64 { self == .long ? 1 : -1 }
    public var opposite: Side { self == .long ? .short : .long }
    /// The order side that opens or adds to this position.
    public var entryOrderSide: OrderSide { self == .long ? .buy : .sell }
    /// The order side that reduces or closes this position.
    public var exitOrderSide: OrderSide { self == .long ? .sell : .buy }
    public var description: String { rawValue }
}

/// The side of an order.
public enum OrderSide: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case buy = "BUY"
    case sell = "SELL"
    public var opposite: OrderSide { self == .buy ? .sell : .buy }
    /// The position side a fill of this order moves towards.
    public var positionSide: Side { self == .buy ? .long : .short }
    public var description: String { rawValue }
}
