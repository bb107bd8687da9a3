import Foundation

/// The drift check: does the model signal as often on new data (a backtest, paper or live) as
/// it did in the walk-forward? A coverage that moves means the inputs moved away from what the
/// model and its calibration were fitted on, and the walk-forward figures no longer describe it.
///
/// Rule, per threshold: with reference coverage `c` (pooled walk-forward: signals / decision
/// bars) and observed `o` over at least `minimumDecisionBars` decision bars, the coverage has
/// drifted when `|o − c| ≥ minimumShift` (5 percentage points) AND `o ≥ 2c` or `o ≤ c/2`.
/// Both: a large relative move at a tiny coverage is noise, a small one at a large coverage is
/// ordinary variation (the folds' own coverages differ by that much).
public struct CoverageDrift: Sendable, Hashable, Codable {
    public var threshold: Double
    public var reference: Double
    public var observed: Double
    public var decisionBars: Int
    public var drifted: Bool

    public static let minimumShift = 0.05
    public static let minimumDecisionBars = 200

    public static func check(threshold: Double, reference: Double, signals: Int, decisionBars: Int) -> CoverageDrift {
        let observed = decisionBars > 0 ? Double(signals) / Double(decisionBars) : 0
        let moved = abs(observed - reference) >= minimumShift && (observed >= 2 * reference || observed <= reference / 2)
        return CoverageDrift(threshold: threshold, reference: reference, observed: observed, decisionBars: decisionBars,
                             drifted: decisionBars >= minimumDecisionBars && moved)
    }

    /// One line for a terminal or an alert.
    public var description: String {
        String(format: "coverage at >= %.2f: %.1f%% of %d decision bars vs %.1f%% in the walk-forward", threshold, observed * 100,
               decisionBars, reference * 100) + (drifted ? " — DRIFTED" : "")
    }
}
