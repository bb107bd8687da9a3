/// Which owner protects every position (`[execution] policy`). A required setting with known
/// values only: there is no default and no fallback. The system we replace silently fell back
/// to a "legacy, no policy" executor that never watched the price.
public enum ExecutionPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The tick-driven `ExitExecutor` with exchange-side backstop and watchdog.
    case exitEngine = "exit-engine"
    /// The fixed stop/target bracket of the `ema-cross` reference benchmark only.
    case referenceBracket = "reference-bracket"

    /// Parses the configured text. `nil` (the key is missing) and any unknown value throw.
    /// Accepts the configuration spelling (`exit-engine`, as in config/default.toml) and the case name (`exitEngine`).
    public static func parse(_ text: String?, source: String = "[execution] policy") throws(ExecutionPolicyError) -> ExecutionPolicy {
        guard let text else { throw ExecutionPolicyError.missing(source: source) }
        let trimmed = text.trimmingSpaces
        for policy in allCases where trimmed == policy.rawValue || trimmed == policy.caseName {
            return policy
        }
        throw ExecutionPolicyError.unknown(value: text, source: source)
    }

    /// The Swift case name (`exitEngine`).
    public var caseName: String {
        switch self {
        case .exitEngine: "exitEngine"
        case .referenceBracket: "referenceBracket"
        }
    }
}

/// The execution policy is missing or unknown: the app refuses to start.
public enum ExecutionPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(source: String)
    case unknown(value: String, source: String)

    private static var allowed: String { ExecutionPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }

    public var description: String {
        switch self {
        case .missing(let source):
            "\(source) is required and missing; set it to one of \(Self.allowed). "
                + "There is no default: a position must never run without a known exit owner."
        case .unknown(let value, let source):
            "\(source) = \"\(value)\" is not a known execution policy; use one of \(Self.allowed). "
                + "Legacy or unknown executors are refused (no silent fallback)."
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
