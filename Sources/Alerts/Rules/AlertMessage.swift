import TradingEngine
import TradingModel

/// A message for a person, produced by the alert rules: a title, labelled lines and structured
/// fields. Notifiers render it (Telegram HTML, webhook JSON); the store keeps its plain text.
public struct AlertMessage: Sendable, Hashable {
    /// One line of the body; a labelled line renders as `label: value` (the value emphasised).
    public struct Line: Sendable, Hashable {
        public var label: String?
        public var value: String
        public init(_ label: String?, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    public var category: NotificationRecord.Category
    /// The rule or runtime alert kind (`stop_not_triggered`, `runtime:watchdog.beyond_stop`, `digest`).
    public var rule: String
    public var severity: AlertSeverity
    public var symbol: Symbol?
    public var title: String
    public var lines: [Line]
    /// Machine-readable values for the webhook (`price_move_pct`, `roe_pct`, `pnl_usdt`, …).
    public var fields: [String: String]
    public var time: Timestamp
    /// A channel this message must not go through (a delivery failure is not reported through
    /// the channel that failed).
    public var excludedChannel: String?

    public init(category: NotificationRecord.Category, rule: String, severity: AlertSeverity, symbol: Symbol?, title: String,
                lines: [Line] = [], fields: [String: String] = [:], time: Timestamp, excludedChannel: String? = nil) {
        self.category = category
        self.rule = rule
        self.severity = severity
        self.symbol = symbol
        self.title = title
        self.lines = lines
        self.fields = fields
        self.time = time
        self.excludedChannel = excludedChannel
    }

    /// Title and lines as plain text (stored, logged, and the webhook's `text`).
    public var plainText: String {
        ([title] + lines.map { line in line.label.map { "\($0): \(line.value)" } ?? line.value }).joined(separator: "\n")
    }
}
