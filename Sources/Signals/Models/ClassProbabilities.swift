/// A probability triple in class order `[P(none), P(long), P(short)]`.
public struct ClassProbabilities: Sendable, Hashable, Codable {
    public var none: Double
    public var long: Double
    public var short: Double

    public init(none: Double, long: Double, short: Double) {
        self.none = none
        self.long = long
        self.short = short
    }

    public init(_ values: [Double]) {
        precondition(values.count == 3, "a probability triple has three values")
        self.init(none: values[0], long: values[1], short: values[2])
    }

    public var values: [Double] { [none, long, short] }

    public subscript(_ signalClass: SignalClass) -> Double {
        switch signalClass {
        case .none: none
        case .long: long
        case .short: short
        }
    }

    /// The most probable class (ties resolve to NONE, then LONG).
    public var mostLikely: SignalClass {
        if none >= long && none >= short { return .none }
        return long >= short ? .long : .short
    }

    /// Rescaled to sum to one; uniform when every value is zero.
    public func normalized() -> ClassProbabilities {
        let total = none + long + short
        guard total > 0, total.isFinite else { return ClassProbabilities(none: 1.0 / 3, long: 1.0 / 3, short: 1.0 / 3) }
        return ClassProbabilities(none: none / total, long: long / total, short: short / total)
    }
}
