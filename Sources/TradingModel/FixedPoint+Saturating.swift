/// Saturating forms for statistics and running totals whose inputs come from data (volumes,
/// metrics, sums of many trades): beyond `Int64` they stick at its bound instead of trapping.
/// Not for booking money — the ledger checks and refuses instead (`Portfolio`).
extension FixedPoint {
    /// `value` clamped to `Int64`.
    @inlinable
    public static func saturating(_ value: Int128) -> Int64 {
        value > Int128(Int64.max) ? .max : value < Int128(Int64.min) ? .min : Int64(value)
    }

    /// `a × b / divisor` rounded as requested, clamped to `Int64` (zero divisor: zero).
    @inlinable
    public static func saturatingMultiplyDivide(_ a: Int64, _ b: Int64, _ divisor: Int64, rounding: Rounding) -> Int64 {
        guard divisor != 0 else { return 0 }
        return saturating(roundedQuotient(Int128(a) * Int128(b), by: Int128(divisor), rounding: rounding))
    }
}

extension FixedPointValue {
    /// `self + other`, stuck at the `Int64` bound instead of overflowing.
    @inlinable
    public func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = raw.addingReportingOverflow(other.raw)
        return Self(raw: overflow ? (other.raw > 0 ? .max : .min) : sum)
    }
}
