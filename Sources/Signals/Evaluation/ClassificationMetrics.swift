/// Probability-quality figures of out-of-sample predictions.
public struct ClassificationMetrics: Sendable, Hashable, Codable {
    /// Fraction of samples whose most likely class is the label (out-of-sample only).
    public var accuracy: Double
    /// Multi-class Brier score: mean over samples of Σ_k (p_k − y_k)².
    public var brierScore: Double
    /// Mean −log p(label), probabilities clipped to [1e-15, 1].
    public var logLoss: Double
    /// Expected calibration error of the top-class confidence, 10 equal-width bins.
    public var expectedCalibrationError: Double
    /// confusion[true][predicted], class order NONE, LONG, SHORT.
    public var confusion: [[Int]]
    /// Reliability diagram points (top-class confidence per bin).
    public var reliability: [ReliabilityBin]
    public var samples: Int

    public static func compute(probabilities: [ClassProbabilities], labels: [SignalClass]) -> ClassificationMetrics {
        var correct = 0, brier = 0.0, logLoss = 0.0
        var confusion = Array(repeating: Array(repeating: 0, count: 3), count: 3)
        var binCount = Array(repeating: 0, count: 10), binConfidence = Array(repeating: 0.0, count: 10)
        var binCorrect = Array(repeating: 0, count: 10)
        let count = min(probabilities.count, labels.count)
        for (probability, label) in zip(probabilities.prefix(count), labels.prefix(count)) {
            let predicted = probability.mostLikely
            if predicted == label { correct += 1 }
            confusion[label.rawValue][predicted.rawValue] += 1
            for signalClass in SignalClass.allCases {
                let target = signalClass == label ? 1.0 : 0.0
                brier += (probability[signalClass] - target) * (probability[signalClass] - target)
            }
            logLoss -= log(min(1, max(1e-15, probability[label])))
            let confidence = probability[predicted]
            let bin = min(9, max(0, Int(confidence * 10)))
            binCount[bin] += 1
            binConfidence[bin] += confidence
            if predicted == label { binCorrect[bin] += 1 }
        }
        let n = Double(max(1, count))
        var ece = 0.0
        var reliability: [ReliabilityBin] = []
        for bin in 0..<10 where binCount[bin] > 0 {
            let meanConfidence = binConfidence[bin] / Double(binCount[bin])
            let observed = Double(binCorrect[bin]) / Double(binCount[bin])
            ece += Double(binCount[bin]) / n * abs(meanConfidence - observed)
            reliability.append(ReliabilityBin(lower: Double(bin) / 10, upper: Double(bin + 1) / 10, samples: binCount[bin],
                                              meanConfidence: meanConfidence, observedFrequency: observed))
        }
        return ClassificationMetrics(accuracy: Double(correct) / n, brierScore: brier / n, logLoss: logLoss / n,
                                     expectedCalibrationError: ece, confusion: confusion, reliability: reliability, samples: count)
    }
}

/// One bin of a reliability diagram.
public struct ReliabilityBin: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double
    public var samples: Int
    public var meanConfidence: Double
    public var observedFrequency: Double
    /// 95% day-block bootstrap interval of `observedFrequency` (`ReliabilityDiagram`), when computed.
    public var observedLower: Double?
    public var observedUpper: Double?

    public init(lower: Double, upper: Double, samples: Int, meanConfidence: Double, observedFrequency: Double,
                observedLower: Double? = nil, observedUpper: Double? = nil) {
        self.lower = lower
        self.upper = upper
        self.samples = samples
        self.meanConfidence = meanConfidence
        self.observedFrequency = observedFrequency
        self.observedLower = observedLower
        self.observedUpper = observedUpper
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
