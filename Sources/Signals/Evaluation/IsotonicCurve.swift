/// A monotone (non-decreasing) map from a raw score to a probability, fitted by pool-adjacent-
/// violators on (score, outcome) pairs. Evaluated by linear interpolation between block means,
/// clamped at the ends. O(log n) per evaluation.
public struct IsotonicCurve: Sendable, Hashable, Codable {
    /// Block mean scores, strictly increasing.
    public var scores: [Double]
    /// Calibrated probability at each score, non-decreasing.
    public var probabilities: [Double]

    public init(scores: [Double], probabilities: [Double]) {
        self.scores = scores
        self.probabilities = probabilities
    }

    /// Fits the curve; an empty input gives the identity-like curve through (0,0) and (1,1).
    public static func fit(scores: [Double], outcomes: [Bool]) -> IsotonicCurve {
        precondition(scores.count == outcomes.count, "one outcome per score")
        guard !scores.isEmpty else { return IsotonicCurve(scores: [0, 1], probabilities: [0, 1]) }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var blockScoreSum: [Double] = [], blockOutcomeSum: [Double] = [], blockWeight: [Double] = []
        for index in order {
            blockScoreSum.append(scores[index])
            blockOutcomeSum.append(outcomes[index] ? 1 : 0)
            blockWeight.append(1)
            while blockWeight.count > 1 {
                let last = blockWeight.count - 1
                if blockOutcomeSum[last - 1] / blockWeight[last - 1] < blockOutcomeSum[last] / blockWeight[last] { break }
                blockScoreSum[last - 1] += blockScoreSum[last]
                blockOutcomeSum[last - 1] += blockOutcomeSum[last]
                blockWeight[last - 1] += blockWeight[last]
                blockScoreSum.removeLast(); blockOutcomeSum.removeLast(); blockWeight.removeLast()
            }
        }
        var curveScores: [Double] = [], curveProbabilities: [Double] = []
        for block in blockWeight.indices {
            let score = blockScoreSum[block] / blockWeight[block]
            let probability = blockOutcomeSum[block] / blockWeight[block]
            if let last = curveScores.last, score <= last {
                curveProbabilities[curveProbabilities.count - 1] = max(curveProbabilities[curveProbabilities.count - 1], probability)
            } else {
                curveScores.append(score)
                curveProbabilities.append(probability)
            }
        }
        return IsotonicCurve(scores: curveScores, probabilities: curveProbabilities)
    }

    public func callAsFunction(_ score: Double) -> Double {
        guard let first = scores.first, let last = scores.last else { return score }
        if score <= first { return probabilities[0] }
        if score >= last { return probabilities[probabilities.count - 1] }
        var low = 0, high = scores.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if scores[middle] <= score { low = middle } else { high = middle }
        }
        let fraction = (score - scores[low]) / (scores[high] - scores[low])
        return probabilities[low] + fraction * (probabilities[high] - probabilities[low])
    }
}
