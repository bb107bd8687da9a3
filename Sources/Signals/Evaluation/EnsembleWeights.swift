import Foundation

/// Weights of the ensemble's members, fitted out of fold: on the calibration slice of the
/// training window, with each member's probabilities calibrated by cross-fitting (no sample is
/// judged by curves fitted on its own label, and no member was trained on the slice).
///
/// Rule: the weights on the simplex grid of step 0.1 (non-negative, summing to one) that
/// minimise the mean log loss of the weighted average against the labels. Equal weights are
/// tried first and kept on ties, so a member that adds nothing costs nothing but is still shown.
/// With one member the weight is 1. At most 286 candidates for four members.
public enum EnsembleWeights {
    public static let gridSteps = 10

    public static func fit(members: [[ClassProbabilities]], labels: [SignalClass]) -> [Double] {
        let count = members.count
        guard count > 1, members.allSatisfy({ $0.count == labels.count }), !labels.isEmpty else {
            return Array(repeating: 1 / Double(max(1, count)), count: count)
        }
        let equal = Array(repeating: 1 / Double(count), count: count)
        var best = equal, bestLoss = logLoss(weights: equal, members: members, labels: labels)
        var candidate = Array(repeating: 0, count: count)
        func visit(_ member: Int, _ remaining: Int) {
            if member == count - 1 {
                candidate[member] = remaining
                let weights = candidate.map { Double($0) / Double(gridSteps) }
                let loss = logLoss(weights: weights, members: members, labels: labels)
                if loss < bestLoss - 1e-12 {
                    bestLoss = loss
                    best = weights
                }
                return
            }
            for share in 0...remaining {
                candidate[member] = share
                visit(member + 1, remaining - share)
            }
        }
        visit(0, gridSteps)
        return best
    }

    /// Weighted average of the members' probabilities, renormalised.
    public static func combine(_ members: [[ClassProbabilities]], weights: [Double], row: Int) -> ClassProbabilities {
        var sums = [0.0, 0.0, 0.0]
        for (member, weight) in zip(members, weights) where weight > 0 {
            let values = member[row].values
            for column in 0..<3 { sums[column] += weight * values[column] }
        }
        return ClassProbabilities(sums).normalized()
    }

    static func logLoss(weights: [Double], members: [[ClassProbabilities]], labels: [SignalClass]) -> Double {
        var total = 0.0
        for (row, label) in labels.enumerated() {
            total -= log(max(1e-12, combine(members, weights: weights, row: row)[label]))
        }
        return total / Double(labels.count)
    }
}
