/// Indicator and statistics formulas on `Double` series (closes, returns). Pure functions;
/// nil when the series is too short or the result is undefined. Never used for money.
public enum TechnicalIndicators {
    /// Exponential moving average with `α = 2 / (period + 1)`, seeded with the simple average of
    /// the first `period` values. Element `i` of the result is the EMA at input `period − 1 + i`.
    /// O(n).
    public static func exponentialMovingAverage(_ values: [Double], period: Int) -> [Double]? {
        guard period >= 1, values.count >= period else { return nil }
        let alpha = 2.0 / Double(period + 1)
        var current = values[0..<period].reduce(0, +) / Double(period)
        var result = [current]
        result.reserveCapacity(values.count - period + 1)
        for value in values[period...] {
            current += alpha * (value - current)
            result.append(current)
        }
        return result
    }

    /// Wilder's ADX with +DI and −DI over `period` bars (needs `2 × period + 1` bars). O(n).
    public static func averageDirectionalIndex(high: [Double], low: [Double], close: [Double], period: Int)
        -> (adx: Double, plusDI: Double, minusDI: Double)?
    {
        let count = close.count
        guard period >= 1, high.count == count, low.count == count, count >= 2 * period + 1 else { return nil }
        var trueRange: [Double] = []
        var plusMove: [Double] = []
        var minusMove: [Double] = []
        for index in 1..<count {
            let up = high[index] - high[index - 1]
            let down = low[index - 1] - low[index]
            plusMove.append(up > down && up > 0 ? up : 0)
            minusMove.append(down > up && down > 0 ? down : 0)
            trueRange.append(max(high[index] - low[index], abs(high[index] - close[index - 1]), abs(low[index] - close[index - 1])))
        }
        var smoothedRange = trueRange[0..<period].reduce(0, +)
        var smoothedPlus = plusMove[0..<period].reduce(0, +)
        var smoothedMinus = minusMove[0..<period].reduce(0, +)
        func indexes() -> (dx: Double, plus: Double, minus: Double) {
            guard smoothedRange > 0 else { return (0, 0, 0) }
            let plus = 100 * smoothedPlus / smoothedRange
            let minus = 100 * smoothedMinus / smoothedRange
            let sum = plus + minus
            return (sum > 0 ? 100 * abs(plus - minus) / sum : 0, plus, minus)
        }
        var directional: [Double] = [indexes().dx]
        var last = indexes()
        for index in period..<trueRange.count {
            let p = Double(period)
            smoothedRange = smoothedRange - smoothedRange / p + trueRange[index]
            smoothedPlus = smoothedPlus - smoothedPlus / p + plusMove[index]
            smoothedMinus = smoothedMinus - smoothedMinus / p + minusMove[index]
            last = indexes()
            directional.append(last.dx)
        }
        guard directional.count >= period else { return nil }
        var adx = directional[0..<period].reduce(0, +) / Double(period)
        for dx in directional[period...] { adx = (adx * Double(period - 1) + dx) / Double(period) }
        return (adx, last.plus, last.minus)
    }

    /// Sample standard deviation (n − 1); nil for fewer than 2 values.
    public static func standardDeviation<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        guard values.count >= 2 else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Mid-rank percentile of the last value of `values` among all of them (0–1):
    /// `(count below + ½ × count equal) / n`. A constant series gives 0.5.
    public static func percentileOfLast(_ values: [Double]) -> Double? {
        guard let current = values.last else { return nil }
        var below = 0.0
        var equal = 0.0
        for value in values {
            if value < current { below += 1 } else if value == current { equal += 1 }
        }
        return (below + 0.5 * equal) / Double(values.count)
    }

    /// Pearson correlation of two equally long series; nil when shorter than 2 or when either
    /// series is constant (correlation undefined).
    public static func correlation(_ first: [Double], _ second: [Double]) -> Double? {
        guard first.count == second.count, first.count >= 2 else { return nil }
        let n = Double(first.count)
        let meanFirst = first.reduce(0, +) / n
        let meanSecond = second.reduce(0, +) / n
        var covariance = 0.0
        var varianceFirst = 0.0
        var varianceSecond = 0.0
        for index in first.indices {
            let a = first[index] - meanFirst
            let b = second[index] - meanSecond
            covariance += a * b
            varianceFirst += a * a
            varianceSecond += b * b
        }
        guard varianceFirst > 0, varianceSecond > 0 else { return nil }
        return covariance / (varianceFirst * varianceSecond).squareRoot()
    }
}
