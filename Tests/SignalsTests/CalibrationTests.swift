import Signals
import Testing
import TradingModel

@Suite(.ownThread) struct CalibrationTests {
    /// An overconfident model (true probabilities pushed towards 0/1) is calibrated on one half
    /// and measured on the other: expected calibration error falls.
    @Test func isotonicCalibrationReducesECE() {
        var random = SeededRandom(seed: 11)
        var probabilities: [ClassProbabilities] = [], labels: [SignalClass] = []
        for _ in 0..<6000 {
            let truth = ClassProbabilities(none: random.nextUnit() + 0.2, long: random.nextUnit(), short: random.nextUnit()).normalized()
            let draw = random.nextUnit()
            labels.append(draw < truth.none ? .none : draw < truth.none + truth.long ? .long : .short)
            // sharpen: p^3 renormalised — confident and wrong more often than it says
            probabilities.append(ClassProbabilities(none: pow(truth.none, 3), long: pow(truth.long, 3), short: pow(truth.short, 3)).normalized())
        }
        let calibration = ProbabilityCalibration.fit(probabilities: Array(probabilities[0..<3000]), labels: Array(labels[0..<3000]))
        let held = Array(probabilities[3000...]), heldLabels = Array(labels[3000...])
        let before = ClassificationMetrics.compute(probabilities: held, labels: heldLabels)
        let after = ClassificationMetrics.compute(probabilities: held.map(calibration.apply), labels: heldLabels)
        #expect(before.expectedCalibrationError > 0.08)
        #expect(after.expectedCalibrationError < before.expectedCalibrationError / 2)
        #expect(after.logLoss < before.logLoss)
    }

    @Test func isotonicCurveIsMonotone() {
        let curve = IsotonicCurve.fit(scores: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], outcomes: [false, true, false, false, true, true])
        #expect(zip(curve.probabilities, curve.probabilities.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(curve(0.0) == curve.probabilities[0])
    }

    @Test func decisionRuleAbstainsBelowThresholdAndOnTies() {
        #expect(DecisionRule.decide(ClassProbabilities(none: 0.2, long: 0.7, short: 0.1), threshold: 0.65) == .long)
        #expect(DecisionRule.decide(ClassProbabilities(none: 0.2, long: 0.6, short: 0.2), threshold: 0.65) == nil)
        #expect(DecisionRule.decide(ClassProbabilities(none: 0.5, long: 0.5, short: 0), threshold: 0.5) == nil)
        #expect(DecisionRule.decide(ClassProbabilities(none: 0.1, long: 0.1, short: 0.8), threshold: 0.5) == .short)
    }
}

#if canImport(Glibc)
import Glibc
import TradingTestSupport
#endif
