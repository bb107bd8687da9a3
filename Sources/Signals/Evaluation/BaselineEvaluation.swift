/// Figures of a naive baseline on the same out-of-sample samples, after the same fees.
public struct BaselineEvaluation: Sendable, Hashable, Codable {
    /// `always-flat`, `previous-return-sign`, `coin-flip`.
    public var name: String
    /// Fraction of samples whose label equals the baseline's call (NONE for always flat).
    public var accuracy: Double
    public var confusion: [[Int]]
    /// The baseline trades every call it makes (no confidence); threshold field is 0.
    public var trading: ThresholdRow

    /// The three baselines. The coin flip uses a seeded generator, so reports are reproducible.
    public static func all(samples: [LabeledSample], seed: UInt64) -> [BaselineEvaluation] {
        var random = SeededRandom(seed: seed)
        let flat = samples.map { _ in SignalClass.none }
        let previousSign = samples.map { $0.previousReturn > 0 ? SignalClass.long : $0.previousReturn < 0 ? .short : .none }
        let coin = samples.map { _ in random.nextUnit() < 0.5 ? SignalClass.long : SignalClass.short }
        return [("always-flat", flat), ("previous-return-sign", previousSign), ("coin-flip", coin)].map { name, calls in
            var confusion = Array(repeating: Array(repeating: 0, count: 3), count: 3)
            var correct = 0
            for (call, sample) in zip(calls, samples) {
                confusion[sample.label.rawValue][call.rawValue] += 1
                if call == sample.label { correct += 1 }
            }
            return BaselineEvaluation(name: name, accuracy: samples.isEmpty ? 0 : Double(correct) / Double(samples.count),
                                      confusion: confusion, trading: ThresholdRow.compute(threshold: 0, sides: calls, samples: samples))
        }
    }
}
