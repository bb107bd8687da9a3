import Backtest
import TradingEngine
import Signals

extension ModelHealth {
    static func pct(_ rate: Double) -> String { DisplayNumber.fixed(rate * 100, 2) + "%" }

    static func range(_ interval: ClusteredEstimates.Interval) -> String { "\(pct(interval.low))–\(pct(interval.high))" }

    /// The model health section of `qt diagnose`.
    public var lines: [String] {
        let e = expectation
        var lines = ["model \(e.source ?? "ml-ensemble (any version)"): out of sample, hit rate "
                     + (e.hitRate.map { "\(Self.pct($0)) over \(e.trades) trades" } ?? "n/a (no out-of-sample trade)")
                     + ", coverage \(Self.pct(e.coverage)) of decision bars (\(e.signals) signals)"]
        lines.append("live: \(signals) signals of this model (\(approved) approved) over \(decisionBars) decision bars of its paper/live runs")
        if let hit = hitRate {
            var text = "hit rate \(hits) of \(labelled) labelled approved signals (\(Self.pct(hit.observed))), 95% interval \(Self.range(hit.interval)) "
                + "on \(hit.sampleSize) independent groups: "
            text += describe(hit.verdict, expected: e.hitRate, small: "too few to judge (\(Self.minimumGroups) independent groups needed, \(hit.sampleSize) so far)")
            lines.append(text)
        } else {
            lines.append("hit rate: no approved signal labelled yet")
        }
        if unlabelled > 0 {
            lines.append("\(unlabelled) approved signals not labelled: no one-minute --data candles of their symbol, or their "
                         + "\(e.labelSettings.horizonBars)-minute horizon has not passed")
        }
        if let coverage {
            lines.append("coverage \(Self.pct(coverage.observed)) (\(signals) of \(coverage.sampleSize) bars), 95% interval \(Self.range(coverage.interval)): "
                         + describe(coverage.verdict, expected: e.coverage,
                                    small: "too few bars to judge (the expected \(Self.pct(e.coverage)) predicts under \(Int(Self.minimumExpectedSignals)) signals)"))
        } else {
            lines.append("coverage: no decision bar in the model's paper/live runs")
        }
        return lines
    }

    private func describe(_ verdict: Verdict?, expected: Double?, small: String) -> String {
        guard let expected else { return "no expectation in the report" }
        switch verdict {
        case nil: return small + "; expected \(Self.pct(expected))"
        case .consistent?: return "consistent with the expected \(Self.pct(expected))"
        case .below?: return "BELOW the expected \(Self.pct(expected))"
        case .above?: return "above the expected \(Self.pct(expected))"
        }
    }

    /// `model-below-expectation`: the hit rate is below its expectation, or the coverage is off it
    /// either way (the model fires more or less often than it did out of sample), on a sample
    /// large enough to judge.
    public var finding: Finding? {
        var evidence: [String] = []
        var titles: [String] = []
        if hitRate?.verdict == .below, let hit = hitRate, let expected = expectation.hitRate {
            titles.append("hit rate \(Self.pct(hit.observed)) below the expected \(Self.pct(expected))")
            evidence.append("\(hits) of \(labelled) approved signals hit their triple-barrier target; 95% interval \(Self.range(hit.interval)) "
                            + "on \(hit.sampleSize) independent groups lies below the report's \(Self.pct(expected)) over \(expectation.trades) trades")
        }
        if let coverage, let verdict = coverage.verdict, verdict != .consistent {
            titles.append("coverage \(Self.pct(coverage.observed)) \(verdict == .below ? "below" : "above") the expected \(Self.pct(expectation.coverage))")
            evidence.append("\(signals) signals over \(coverage.sampleSize) decision bars; 95% interval \(Self.range(coverage.interval)) excludes "
                            + "the report's \(Self.pct(expectation.coverage))")
        }
        guard !titles.isEmpty else { return nil }
        evidence.append("expectation: \(expectation.source ?? "ml-ensemble") report.json (the chosen configuration, pooled walk-forward)")
        return Finding(rule: "model-below-expectation", severity: .warning,
                       title: "the model is not performing as evaluated: " + titles.joined(separator: "; "), evidence: evidence)
    }
}
