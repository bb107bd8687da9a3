import TradingEngine
import TradingModel

/// Why `qt stats` or `qt diagnose` cannot answer, as one line naming what to fix.
public struct AnalyticsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// A store failure as one line, naming the store (control characters escaped).
    static func store(_ path: String, _ error: any Error) -> AnalyticsError {
        if let error = error as? BacktestRunError { return AnalyticsError(error.message) }   // already names `--db FILE`
        let text = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
        return AnalyticsError("\(DisplayText.escaped(path)): cannot read the store: \(DisplayText.escaped(text))")
    }
}
