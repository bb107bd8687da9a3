/// Mean and standard deviation over the last `window` values, O(1) per update (running sums
/// over a ring buffer, re-summed every `window` updates to bound floating-point drift).
public struct RollingStatistics: Sendable, Hashable {
    private var values: RingBuffer
    private var sum = 0.0
    private var sumOfSquares = 0.0
    private var updatesSinceResum = 0

    public init(window: Int) { values = RingBuffer(capacity: window) }

    public var isFull: Bool { values.count == values.capacity }

    public mutating func append(_ value: Double) {
        if let dropped = values.append(value) {
            sum -= dropped
            sumOfSquares -= dropped * dropped
        }
        sum += value
        sumOfSquares += value * value
        updatesSinceResum += 1
        if updatesSinceResum >= values.capacity {
            updatesSinceResum = 0
            sum = 0
            sumOfSquares = 0
            for lag in 0..<values.count {
                let held = values.value(lag: lag) ?? 0
                sum += held
                sumOfSquares += held * held
            }
        }
    }

    public var mean: Double { values.count == 0 ? .nan : sum / Double(values.count) }

    /// Sample standard deviation; NaN with fewer than two values.
    public var standardDeviation: Double {
        let n = Double(values.count)
        guard values.count > 1 else { return .nan }
        let variance = max(0, (sumOfSquares - sum * sum / n) / (n - 1))
        return variance.squareRoot()
    }

    /// `(value − mean) / sd` of the window; 0 when the window is flat, NaN until full.
    public func zScore(_ value: Double) -> Double {
        guard isFull else { return .nan }
        let deviation = standardDeviation
        return deviation > 1e-12 ? (value - mean) / deviation : 0
    }
}
