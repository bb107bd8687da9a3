/// How the deep forecasters' target and output relate to the triple-barrier labels.
///
/// Target: the forward return of the triple-barrier race, stopped at the barriers, in price-move
/// units. A LONG label (long take-profit reached first) is `+tp`, a SHORT label `−tp`, and a
/// NONE sample the long's realised move before costs clamped into `[−0.9·tp, +0.9·tp]` (a
/// timeout's horizon move or a stop). So LONG ⟺ target ≥ tp, SHORT ⟺ target ≤ −tp, and NONE
/// ⟺ |target| < tp by construction: the classes are regions of the target's distribution.
///
/// Output: forecast quantiles `q(τ)` of that target. With the quantile function sorted (crossing
/// fixed) and linearly interpolated into a distribution function F (tails extended with the
/// outermost segments' slopes), `P(LONG) = 1 − F(0.95·tp)`, `P(SHORT) = F(−0.95·tp)` and
/// `P(NONE)` the rest (the cut at 0.95·tp sits between the NONE clamp and the barrier). These
/// raw probabilities are then calibrated by isotonic regression on the calibration slice, like
/// the boosted trees' outputs.
public enum BarrierQuantiles {
    public static let noneClamp = 0.9
    public static let classCut = 0.95

    public static func target(_ sample: LabeledSample, settings: TripleBarrierSettings) -> Double {
        let takeProfit = settings.takeProfitPriceMove
        switch sample.label {
        case .long: return takeProfit
        case .short: return -takeProfit
        case .none:
            let move = sample.longReturn + settings.roundTripFeeRate + 2 * settings.slippagePerFill
            return min(noneClamp * takeProfit, max(-noneClamp * takeProfit, move.isFinite ? move : 0))
        }
    }

    /// Class probabilities from forecast quantiles at `levels` (same count, ascending levels).
    public static func probabilities(quantiles: [Double], levels: [Double], settings: TripleBarrierSettings) -> ClassProbabilities {
        let cut = classCut * settings.takeProfitPriceMove
        let values = quantiles.map { $0.isFinite ? $0 : 0 }.sorted()
        let long = 1 - distribution(at: cut, values: values, levels: levels)
        let short = distribution(at: -cut, values: values, levels: levels)
        let clampedLong = min(1, max(0, long)), clampedShort = min(1 - clampedLong, max(0, short))
        return ClassProbabilities(none: max(0, 1 - clampedLong - clampedShort), long: clampedLong, short: clampedShort)
    }

    /// F(y) from sorted quantile values: piecewise linear between the knots, the tails continued
    /// with the first and last segments' slopes down to 0 and up to 1.
    static func distribution(at y: Double, values: [Double], levels: [Double]) -> Double {
        let count = min(values.count, levels.count)
        guard count >= 2 else { return 0.5 }
        func slope(_ a: Int, _ b: Int) -> Double {
            let width = values[b] - values[a]
            return width > 1e-12 ? (levels[b] - levels[a]) / width : .infinity
        }
        if y <= values[0] {
            let s = slope(0, 1)
            return s.isInfinite ? (y < values[0] ? 0 : levels[0]) : max(0, levels[0] - s * (values[0] - y))
        }
        if y >= values[count - 1] {
            let s = slope(count - 2, count - 1)
            return s.isInfinite ? (y > values[count - 1] ? 1 : levels[count - 1]) : min(1, levels[count - 1] + s * (y - values[count - 1]))
        }
        var upper = 1
        while values[upper] < y { upper += 1 }
        let lower = upper - 1
        let width = values[upper] - values[lower]
        guard width > 1e-12 else { return levels[upper] }
        return levels[lower] + (levels[upper] - levels[lower]) * (y - values[lower]) / width
    }
}
