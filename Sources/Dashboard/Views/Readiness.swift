/// Whether the process can trade safely now: each check with its result. `/readyz` answers 200
/// only when every check passed, 503 with the failed checks' reasons otherwise.
public struct Readiness: Sendable, Hashable, Codable {
    public struct Check: Sendable, Hashable, Codable {
        /// `market_streams`, `venue_stream`, `reconciled`, `store_writable`, `market_data_fresh`, `session`.
        public var name: String
        public var ok: Bool
        public var detail: String
        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    public var checks: [Check]
    public var ready: Bool { checks.allSatisfy(\.ok) }

    public init(checks: [Check]) { self.checks = checks }

    /// The failed checks as one line (`market_streams: …; store_writable: …`).
    public var reasons: String { checks.filter { !$0.ok }.map { "\($0.name): \($0.detail)" }.joined(separator: "; ") }
}
