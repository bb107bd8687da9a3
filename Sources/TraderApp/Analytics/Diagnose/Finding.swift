/// One fact-based finding of `qt diagnose`: the rule that produced it and the data behind it.
public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case critical = "CRITICAL", warning = "WARNING", info = "INFO"

        var rank: Int { self == .critical ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The rule's id (`stop-breached-open`, `losing-streak`, …), stable for scripts.
    public var rule: String
    public var severity: Severity
    /// One sentence a trader reads first.
    public var title: String
    /// The facts the finding rests on, one per line, with their values and sources.
    public var evidence: [String]

    public init(rule: String, severity: Severity, title: String, evidence: [String]) {
        self.rule = rule
        self.severity = severity
        self.title = title
        self.evidence = evidence
    }
}
