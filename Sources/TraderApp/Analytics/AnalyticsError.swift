import TradingEngine

/// Why `qt stats` or `qt diagnose` cannot answer, as one line naming what to fix.
public struct AnalyticsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// A store failure as one line, naming the store.
    static func store(_ path: String, _ error: any Error) -> AnalyticsError {
        let text = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
        return AnalyticsError("\(path): cannot read the store: \(text)")
    }
}
