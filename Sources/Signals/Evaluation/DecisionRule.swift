import TradingModel

/// The single rule that turns calibrated probabilities into a trade decision, used by the
/// evaluation and by the `ml-ensemble` strategy alike.
///
/// Trade the more likely side only when its calibrated probability is at least `threshold` and
/// strictly above both other classes. Otherwise: no trade (never a fallback).
public enum DecisionRule {
    public static func decide(_ probabilities: ClassProbabilities, threshold: Double) -> Side? {
        let side: Side = probabilities.long >= probabilities.short ? .long : .short
        let confidence = probabilities[SignalClass(side)]
        let other = probabilities[SignalClass(side.opposite)]
        guard confidence >= threshold, confidence > probabilities.none, confidence > other else { return nil }
        return side
    }

    /// The confidence thresholds every report covers: 0.50, 0.55, …, 0.95.
    public static let reportThresholds: [Double] = (0..<10).map { 0.5 + Double($0) * 0.05 }
}
