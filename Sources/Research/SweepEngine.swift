/// Runs the units of a sweep somewhere and hands each result over as it arrives (any order).
public protocol SweepEngine: Sendable {
    /// Runs `units`; `onResult` is called once per unit (from one task at a time).
    /// Throws when the run as a whole cannot go on (a launch failure, a Ray job that failed).
    func run(_ units: [SweepUnit], onResult: @escaping @Sendable (SweepUnitResult) async -> Void) async throws(SweepError)
}
