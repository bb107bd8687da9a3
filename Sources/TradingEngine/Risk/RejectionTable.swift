/// Signals taken versus rejected, by reason, for the backtest summary. A signal rejected for
/// several reasons counts once as rejected and once under each of its reasons.
public struct RejectionTable: Sendable, Hashable {
    public private(set) var evaluated = 0
    public private(set) var taken = 0
    /// Rejections per reason kind (`RejectionReason.kind`).
    public private(set) var rejectionsByReason: [String: Int] = [:]

    public init() {}

    public var rejected: Int { evaluated - taken }

    /// Adds one validation outcome.
    public mutating func record(_ report: ValidationReport) {
        record(approved: report.isApproved, reasonKinds: CounterfactualTracker.uniqueKinds(report.reasons))
    }

    /// Adds one outcome from its parts (for gates other than `PreTradeValidator`).
    public mutating func record(approved: Bool, reasonKinds: [String]) {
        evaluated += 1
        if approved {
            taken += 1
        } else {
            for kind in Set(reasonKinds) { rejectionsByReason[kind, default: 0] += 1 }
        }
    }

    /// Text table; with `counterfactuals`, each reason row also shows what its rejected signals
    /// would have returned (count, win rate, average and total net return on notional after fees).
    ///
    ///     signals evaluated 12, taken 3, rejected 9
    ///     reason                          rejected  share | simulated   win%  avg net%  total net%
    ///     confidence_below_threshold             7  77.8% |         7  28.6%    -0.31%      -2.17%
    public func render(counterfactuals: [CounterfactualSummary]? = nil, overall: CounterfactualSummary? = nil) -> String {
        var lines = ["signals evaluated \(evaluated), taken \(taken), rejected \(rejected)"]
        let byKind = Dictionary((counterfactuals ?? []).map { ($0.reasonKind, $0) }, uniquingKeysWith: { first, _ in first })
        var header = Self.pad("reason", 40, left: true) + Self.pad("rejected", 9) + Self.pad("share", 8)
        if counterfactuals != nil {
            header += " |" + Self.pad("simulated", 10) + Self.pad("win%", 8) + Self.pad("avg net%", 10) + Self.pad("total net%", 12)
        }
        lines.append(header)
        let rows = rejectionsByReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (kind, count) in rows {
            let share = rejected == 0 ? 0 : Double(count) / Double(rejected)
            var line = Self.pad(kind, 40, left: true) + Self.pad(String(count), 9) + Self.pad(DecimalText.percent(share, places: 1), 8)
            if counterfactuals != nil {
                line += " |" + Self.summaryColumns(byKind[kind])
            }
            lines.append(line)
        }
        if let overall {
            lines.append(Self.pad("all rejected signals (each once)", 40, left: true) + Self.pad(String(rejected), 9) + Self.pad("", 8)
                         + " |" + Self.summaryColumns(overall))
        }
        return lines.joined(separator: "\n")
    }

    private static func summaryColumns(_ summary: CounterfactualSummary?) -> String {
        guard let summary, summary.count > 0 else { return pad("0", 10) + pad("-", 8) + pad("-", 10) + pad("-", 12) }
        return pad(String(summary.count), 10) + pad(DecimalText.percent(summary.winRate, places: 1), 8)
            + pad(DecimalText.percent(summary.averageNetReturn), 10) + pad(DecimalText.percent(summary.totalNetReturn), 12)
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }
}
