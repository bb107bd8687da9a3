/// A price in the quote asset (USDT) per unit of the base asset. Fixed point, 8 decimals.
public struct Price: FixedPointValue {
    public var raw: Int64
    @inlinable public init(raw: Int64) { self.raw = raw }
}

/// A quantity of the base asset (contracts of a USDT-M perpetual). Fixed point, 8 decimals.
public struct Quantity: FixedPointValue {
    public var raw: Int64
    @inlinable public init(raw: Int64) { self.raw = raw }
}

/// An amount of the quote/margin asset (USDT). Fixed point, 8 decimals. Money is never a `Double`.
public struct Money: FixedPointValue {
    public var raw: Int64
    @inlinable public init(raw: Int64) { self.raw = raw }
}

/// A dimensionless fraction: fee rates, funding rates, maintenance-margin rates, price moves
/// (`0.012` is 1.2%). Fixed point, 8 decimals.
public struct Rate: FixedPointValue {
    public var raw: Int64
    @inlinable public init(raw: Int64) { self.raw = raw }

    /// The fraction as a percentage, for display (`0.012` → `1.2`).
    @inlinable public var percent: Double { doubleValue * 100 }

    /// Converts a `Double` fraction (from a formula such as the leverage scaling factor) to a rate.
    @inlinable public init(fraction: Double, _ rounding: Rounding) {
        precondition(fraction.isFinite, "rate must be finite")
        let scaled = fraction * Double(FixedPoint.scale)
        let value: Double
        switch rounding {
        case .down: value = scaled.rounded(.down)
        case .up: value = scaled.rounded(.up)
        case .towardZero: value = scaled.rounded(.towardZero)
        case .nearest: value = scaled.rounded(.toNearestOrAwayFromZero)
        }
        self.init(raw: Int64(value))
    }
}

extension Price {
    /// Notional value `price × quantity`.
    @inlinable
    public func notional(_ quantity: Quantity, _ rounding: Rounding) -> Money {
        Money(raw: FixedPoint.multiplyDivide(raw, quantity.raw, FixedPoint.scale, rounding: rounding))
    }

    /// `price × (1 + move)`: the price after a relative move (negative moves go down).
    @inlinable
    public func moved(by move: Rate, _ rounding: Rounding) -> Price {
        Price(raw: FixedPoint.multiplyDivide(raw, FixedPoint.scale + move.raw, FixedPoint.scale, rounding: rounding))
    }

    /// `(self − reference) / reference`, the relative price change from `reference`.
    @inlinable
    public func relativeChange(from reference: Price, _ rounding: Rounding) -> Rate {
        Rate(raw: FixedPoint.multiplyDivide(raw - reference.raw, FixedPoint.scale, reference.raw, rounding: rounding))
    }
}

extension Money {
    /// `amount × rate` (a fee, a funding payment, a maintenance margin).
    @inlinable
    public func times(_ rate: Rate, _ rounding: Rounding) -> Money {
        Money(raw: FixedPoint.multiplyDivide(raw, rate.raw, FixedPoint.scale, rounding: rounding))
    }

    /// `amount / divisor` for a whole divisor (margin = notional / leverage).
    @inlinable
    public func divided(by divisor: Int64, _ rounding: Rounding) -> Money {
        Money(raw: FixedPoint.divide(Int128(raw), by: Int128(divisor), rounding: rounding))
    }

    /// `amount / price`: the quantity this amount buys at `price`.
    @inlinable
    public func quantity(at price: Price, _ rounding: Rounding) -> Quantity {
        Quantity(raw: FixedPoint.multiplyDivide(raw, FixedPoint.scale, price.raw, rounding: rounding))
    }

    /// `self / whole` as a fraction (`pnl / margin`); nil when `whole` is zero.
    @inlinable
    public func ratio(to whole: Money, _ rounding: Rounding) -> Rate? {
        guard whole.raw != 0 else { return nil }
        return Rate(raw: FixedPoint.multiplyDivide(raw, FixedPoint.scale, whole.raw, rounding: rounding))
    }
}

extension Quantity {
    /// `quantity × rate` (the 40% slice of a position).
    @inlinable
    public func times(_ rate: Rate, _ rounding: Rounding) -> Quantity {
        Quantity(raw: FixedPoint.multiplyDivide(raw, rate.raw, FixedPoint.scale, rounding: rounding))
    }
}
