/// Holm's step-down adjustment of p-values for testing several configurations at once.
///
/// With `m` hypotheses and the p-values sorted ascending `p(1) ≤ … ≤ p(m)`:
/// `adj(i) = min(1, max over j ≤ i of (m − j + 1) · p(j))`, reported in the original order. A
/// configuration without a p-value (no trades) still counts towards `m` (it was tried) and is
/// treated as p = 1; its adjusted value is nil.
public enum HolmAdjustment {
    public static func adjust(_ pValues: [Double?]) -> [Double?] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0] ?? 1, $0) < (pValues[$1] ?? 1, $1) }
        var adjusted = [Double?](repeating: nil, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            let p = pValues[index] ?? 1
            running = max(running, min(1, Double(m - rank) * p))
            if pValues[index] != nil { adjusted[index] = running }
        }
        return adjusted
    }
}
