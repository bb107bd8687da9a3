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
    /// The final model's coverage on its own calibration slice (information: when the coverage
    /// moved against the walk-forward but not against this, the final model signals at another
    /// rate than the fold models whose figures the report shows; when it moved against both,
    /// the inputs moved).
    public var finalCalibrationSlice: Double?

    public static let minimumShift = 0.05
    public static let minimumDecisionBars = 200

    public static func check(threshold: Double, reference: Double, signals: Int, decisionBars: Int,
                             finalCalibrationSlice: Double? = nil) -> CoverageDrift {
        let observed = decisionBars > 0 ? Double(signals) / Double(decisionBars) : 0
        let moved = abs(observed - reference) >= minimumShift && (observed >= 2 * reference || observed <= reference / 2)
        return CoverageDrift(threshold: threshold, reference: reference, observed: observed, decisionBars: decisionBars,
                             drifted: decisionBars >= minimumDecisionBars && moved, finalCalibrationSlice: finalCalibrationSlice)
    }

    /// Whether the coverage also moved (same rule) against the final model's calibration slice;
    /// nil when that is unknown.
    public var movedAgainstFinalModel: Bool? {
        finalCalibrationSlice.map { final in
            abs(observed - final) >= Self.minimumShift && (observed >= 2 * final || observed <= final / 2)
        }
    }

    /// What a drift means, for the warnings.
    public static func explanation(_ checks: [CoverageDrift]) -> String {
        let drifted = checks.filter(\.drifted)
        if !drifted.isEmpty && drifted.allSatisfy({ $0.movedAgainstFinalModel == false }) {
            return "the final model signals here as often as on its own calibration slice, but not as the walk-forward's fold "
                + "models did: the walk-forward figures describe models that traded at another rate"
        }
        return "the inputs moved away from the training data; the walk-forward figures do not describe this period"
    }

    /// One line for a terminal or an alert.
    public var description: String {
        String(format: "coverage at >= %.2f: %.1f%% of %d decision bars vs %.1f%% in the walk-forward", threshold, observed * 100,
               decisionBars, reference * 100)
            + (finalCalibrationSlice.map { String(format: " (%.1f%% on the final model's calibration slice)", $0 * 100) } ?? "")
            + (drifted ? " — DRIFTED" : "")
    }
}
