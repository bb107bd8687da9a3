/// Exponential moving average with smoothing `alpha`; seeded with the first value. O(1).
/// `span` form: alpha = 2 / (span + 1); Wilder form: alpha = 1 / period.
public struct ExponentialAverage: Sendable, Hashable {
    public let alpha: Double
    public private(set) var value: Double = .nan
    public private(set) var previous: Double = .nan
    public private(set) var count = 0

    public init(span: Int) { alpha = 2.0 / (Double(span) + 1.0) }
    public init(wilderPeriod: Int) { alpha = 1.0 / Double(wilderPeriod) }

    public mutating func append(_ input: Double) {
        previous = value
        value = count == 0 ? input : value + alpha * (input - value)
        count += 1
    }
}
