import TradingModel

/// Per-trade exit metrics: which targets hit, fraction harvested, stop hits, exit reason, and
/// the time from a level being crossed to the close order being sent.
public struct ExitTradeMetrics: Sendable, Hashable, Codable {
    /// One executed part of the exit.
    public struct ClosedSlice: Sendable, Hashable, Codable {
        public var reason: ExitReason
        public var quantity: Quantity
        public var price: Price
        /// Gross PnL of this part: `sign × quantity × (price − entry)`, rounded to nearest 1e-8.
        public var realizedPnL: Money
        public var fee: Money
        public var time: Timestamp
    }

    public var initialQuantity: Quantity
    /// Take-profit levels whose slice was fully closed, in order.
    public var targetsHit: [Int] = []
    /// Quantity closed by take-profit slices.
    public var harvestedQuantity: Quantity = .zero
    /// Number of stop-level crossings acted on (stop loss, break-even, trailing).
    public var stopHits: Int = 0
    public var exitReason: ExitReason?
    /// Per close decision: milliseconds from the crossing price event's venue time to the
    /// moment the close order was emitted (the event's receive time).
    public var levelToOrderMilliseconds: [Int64] = []
    public var closedSlices: [ClosedSlice] = []
    public var realizedPnL: Money = .zero
    public var fees: Money = .zero
    /// Funding paid (positive) or received (negative).
    public var funding: Money = .zero

    public init(initialQuantity: Quantity) { self.initialQuantity = initialQuantity }

    /// Share of the initial quantity closed at take-profit levels (0…1), for display.
    public var fractionHarvested: Double {
        initialQuantity.isPositive ? harvestedQuantity.doubleValue / initialQuantity.doubleValue : 0
    }

    /// Realized PnL after fees and funding.
    public var netPnL: Money { realizedPnL.addingSaturated(-fees).addingSaturated(-funding) }

    /// Volume-weighted exit price over all slices, nil before the first.
    public var averageExitPrice: Price? {
        var quantity = Int128(0)
        var value = Int128(0)
        for slice in closedSlices {
            quantity += Int128(slice.quantity.raw)
            value += Int128(slice.quantity.raw) * Int128(slice.price.raw)
        }
        guard quantity > 0 else { return nil }
        return Price(raw: FixedPoint.divide(value, by: quantity, rounding: .nearest))
    }

    mutating func record(reason: ExitReason, quantity: Quantity, price: Price, fee: Money, side: Side, entryPrice: Price, time: Timestamp) {
        // Metrics only (the ledger books the money, checked): saturating, never a trap.
        let pnl = Money(raw: FixedPoint.saturatingMultiplyDivide(side.sign * (price.raw - entryPrice.raw), quantity.raw, FixedPoint.scale,
                                                                 rounding: .nearest))
        closedSlices.append(ClosedSlice(reason: reason, quantity: quantity, price: price, realizedPnL: pnl, fee: fee, time: time))
        realizedPnL = realizedPnL.addingSaturated(pnl)
        fees = fees.addingSaturated(fee)
    }
}
