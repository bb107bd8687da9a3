import Testing
import TradingEngine
import TradingModel

/// The `Int64` fast path gives exactly `FixedPoint`'s results, rounding included.
@Suite struct FastFixedPointTests {
    static let values: [Int64] = [0, 1, -1, 7, -7, 99_999_999, -99_999_999, 100_000_000, 123_456_789_012, -987_654_321_098,
                                  Int64.max / 3, Int64.min / 5, 3_037_000_499, -3_037_000_500]

    @Test(arguments: [Rounding.down, .up, .towardZero, .nearest])
    func matchesFixedPoint(rounding: Rounding) {
        for a in Self.values {
            for b in Self.values where b != 0 {
                for divisor: Int64 in [1, -1, 3, -7, 100_000_000, 99_999_989] {
                    let wide = Int128(a) * Int128(b)
                    // Only compare where FixedPoint's result fits Int64 (it traps otherwise).
                    let exact = wide / Int128(divisor)
                    guard exact > Int128(Int64.min) + 1 && exact < Int128(Int64.max) - 1 else { continue }
                    #expect(FastFixedPoint.multiplyDivide(a, b, divisor, rounding: rounding)
                            == FixedPoint.multiplyDivide(a, b, divisor, rounding: rounding), "\(a) × \(b) / \(divisor)")
                }
            }
        }
    }
}
