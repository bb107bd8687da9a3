import TradingModel

/// How urgently a person must look.
public enum AlertSeverity: String, Sendable, Hashable, Codable, Comparable {
    case info = "INFO"
    case warning = "WARNING"
    case critical = "CRITICAL"

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        let order: [AlertSeverity] = [.info, .warning, .critical]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// Something a person must know about: a stop that was not honoured, a backstop that could not
/// be placed, a halted risk engine. Alerts are values returned by state machines; the runtime
/// delivers them through an `Alerting` port and records them in the store.
public struct Alert: Sendable, Hashable {
    public var severity: AlertSeverity
    /// Stable machine-readable kind, e.g. `exit.backstop_failed`, `watchdog.beyond_stop`.
    public var kind: AlertKind
    public var message: String
    public var symbol: Symbol?
    public var time: Timestamp

    public init(severity: AlertSeverity, kind: AlertKind, message: String, symbol: Symbol?, time: Timestamp) {
        self.severity = severity
        self.kind = kind
        self.message = message
        self.symbol = symbol
        self.time = time
    }
}

/// Port: delivers alerts to people (log, Telegram, webhook). Delivery failures are the
/// implementation's to report; they never stop the trading loop.
public protocol Alerting: Sendable {
    func send(_ alert: Alert) async
}
