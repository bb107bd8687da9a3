import TradingModel

/// `FixedPoint` arithmetic with an `Int64` fast path: the same results and rounding as
/// `FixedPoint.divide`/`multiplyDivide`, but when the operands fit in 64 bits the division is a
/// machine `Int64` division instead of a 128-bit library call (`__divti3`). Used by accounting.
public enum FastFixedPoint {
    /// `numerator / denominator` rounded as requested (`FixedPoint.divide` semantics).
    @inlinable
    public static func divide(_ numerator: Int128, by denominator: Int128, rounding: Rounding) -> Int64 {
        guard let small = Int64(exactly: numerator), let divisor = Int64(exactly: denominator), divisor != 0,
              !(small == .min && divisor == -1) else {
            return FixedPoint.divide(numerator, by: denominator, rounding: rounding)
        }
        var quotient = small / divisor
        let remainder = small % divisor
        if remainder != 0 {
            let positive = (small < 0) == (divisor < 0)
            switch rounding {
            case .down: if !positive { quotient -= 1 }
            case .up: if positive { quotient += 1 }
            case .towardZero: break
            case .nearest: if remainder.magnitude * 2 >= divisor.magnitude { quotient += positive ? 1 : -1 }
            }
        }
        return quotient
    }

    /// `divide`, or nil when the divisor is zero or the result does not fit `Int64`. Same
    /// `Int64` fast path (a quotient of two `Int64`s always fits, except `min / −1`).
    @inlinable
    public static func checkedDivide(_ numerator: Int128, by denominator: Int128, rounding: Rounding) -> Int64? {
        guard let small = Int64(exactly: numerator), let divisor = Int64(exactly: denominator), divisor != 0,
              !(small == .min && divisor == -1) else {
            return FixedPoint.checkedDivide(numerator, by: denominator, rounding: rounding)
        }
        var quotient = small / divisor
        let remainder = small % divisor
        if remainder != 0 {
            let positive = (small < 0) == (divisor < 0)
            switch rounding {
            case .down: if !positive { quotient -= 1 }
            case .up: if positive { quotient += 1 }
            case .towardZero: break
            case .nearest: if remainder.magnitude * 2 >= divisor.magnitude { quotient += positive ? 1 : -1 }
            }
        }
        return quotient
    }

    /// `multiplyDivide`, or nil when the divisor is zero or the result does not fit `Int64`.
    @inlinable
    public static func checkedMultiplyDivide(_ a: Int64, _ b: Int64, _ divisor: Int64, rounding: Rounding) -> Int64? {
        checkedDivide(Int128(a) * Int128(b), by: Int128(divisor), rounding: rounding)
    }

    /// `a × b / divisor` rounded as requested.
    @inlinable
    public static func multiplyDivide(_ a: Int64, _ b: Int64, _ divisor: Int64, rounding: Rounding) -> Int64 {
        divide(Int128(a) * Int128(b), by: Int128(divisor), rounding: rounding)
    }

    /// `price × quantity` in USDT.
    @inlinable
    public static func notional(_ price: Price, _ quantity: Quantity, _ rounding: Rounding) -> Money {
        Money(raw: multiplyDivide(price.raw, quantity.raw, FixedPoint.scale, rounding: rounding))
    }

    /// `amount × rate`.
    @inlinable
    public static func times(_ amount: Money, _ rate: Rate, _ rounding: Rounding) -> Money {
        Money(raw: multiplyDivide(amount.raw, rate.raw, FixedPoint.scale, rounding: rounding))
    }

    /// `price × (1 + move)` (`Price.moved(by:)` semantics).
    @inlinable
    public static func moved(_ price: Price, by move: Rate, _ rounding: Rounding) -> Price {
        Price(raw: multiplyDivide(price.raw, FixedPoint.scale + move.raw, FixedPoint.scale, rounding: rounding))
    }

    /// `amount / price`: the quantity the amount buys (`Money.quantity(at:)` semantics).
    @inlinable
    public static func quantity(_ amount: Money, at price: Price, _ rounding: Rounding) -> Quantity {
        Quantity(raw: multiplyDivide(amount.raw, FixedPoint.scale, price.raw, rounding: rounding))
    }

    /// `amount / whole number`.
    @inlinable
    public static func divided(_ amount: Money, by divisor: Int64, _ rounding: Rounding) -> Money {
        Money(raw: divide(Int128(amount.raw), by: Int128(divisor), rounding: rounding))
    }

    // MARK: Checked forms, for values that come from data (nil: the result does not fit)

    /// `price × quantity` in USDT, or nil when it does not fit.
    @inlinable
    public static func checkedNotional(_ price: Price, _ quantity: Quantity, _ rounding: Rounding) -> Money? {
        checkedMultiplyDivide(price.raw, quantity.raw, FixedPoint.scale, rounding: rounding).map(Money.init(raw:))
    }

    /// `amount × rate`, or nil when it does not fit.
    @inlinable
    public static func checkedTimes(_ amount: Money, _ rate: Rate, _ rounding: Rounding) -> Money? {
        checkedMultiplyDivide(amount.raw, rate.raw, FixedPoint.scale, rounding: rounding).map(Money.init(raw:))
    }

    /// `price × (1 + move)`, or nil when it does not fit.
    @inlinable
    public static func checkedMoved(_ price: Price, by move: Rate, _ rounding: Rounding) -> Price? {
        let (factor, overflow) = FixedPoint.scale.addingReportingOverflow(move.raw)
        guard !overflow else { return nil }
        return checkedMultiplyDivide(price.raw, factor, FixedPoint.scale, rounding: rounding).map(Price.init(raw:))
    }

    /// `amount / price`, or nil when the price is zero or the quantity does not fit.
    @inlinable
    public static func checkedQuantity(_ amount: Money, at price: Price, _ rounding: Rounding) -> Quantity? {
        checkedMultiplyDivide(amount.raw, FixedPoint.scale, price.raw, rounding: rounding).map(Quantity.init(raw:))
    }

    /// `amount / whole number`, or nil when the divisor is zero (or the quotient does not fit).
    @inlinable
    public static func checkedDivided(_ amount: Money, by divisor: Int64, _ rounding: Rounding) -> Money? {
        checkedDivide(Int128(amount.raw), by: Int128(divisor), rounding: rounding).map(Money.init(raw:))
    }
}
