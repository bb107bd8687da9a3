import TradingEngine
import TradingModel

/// The alert rules: a pure state machine fed by the session's snapshots, the runtime's alerts
/// and a timer, returning the messages to send. Each condition is alerted once when it begins
/// (after its rule's delay) and once more, as "resolved", when it clears; repeated runtime
/// alerts are sent once per `repeatWindow` and counted; beyond the rate limit non-critical
/// messages wait for one digest. No clock, no I/O: time comes with the inputs.
public struct AlertRules: Sendable {
    public let settings: AlertRuleSettings
    var limiter: MessageRateLimiter
    /// The latest snapshot (time-based rules are judged against it on timer ticks).
    var snapshot: MonitorSnapshot?
    /// Since when each condition has been true without a break.
    var trueSince: [ConditionKey: Timestamp] = [:]
    /// Conditions alerted and not resolved yet, with the title they were alerted with.
    var fired: [ConditionKey: String] = [:]
    var venueOutOfSyncSince: Timestamp?
    var marketOutOfSyncSince: Timestamp?
    /// Channels whose deliveries fail, since when.
    var failingChannels: [String: (since: Timestamp, detail: String)] = [:]
    /// Runtime alerts sent per kind and symbol: when, and how many repeats were held back since.
    var repeats: [String: (sentAt: Timestamp, suppressed: Int)] = [:]
    /// Times of recent order rejections (the `orderRejections` rule).
    var rejections: [Timestamp] = []
    var startedAt: Timestamp?
    var lastHeartbeat: Timestamp?

    public init(settings: AlertRuleSettings = AlertRuleSettings()) {
        self.settings = settings
        limiter = MessageRateLimiter(perMinute: settings.messagesPerMinute, burst: settings.burst)
    }

    /// Conditions alerted and not resolved yet (`rule:subject`), for status displays and tests.
    public var activeConditions: [String] { fired.keys.map(\.description).sorted() }

    /// Messages held back by the rate limit, waiting for the next digest.
    public var heldMessages: Int { limiter.held.count }

    public mutating func on(_ input: AlertRuleInput) -> [AlertMessage] {
        var messages: [AlertMessage] = []
        let time: Timestamp
        switch input {
        case .snapshot(let snapshot):
            time = snapshot.time
            observe(snapshot)
            messages = evaluate(at: time)
        case .timer(let now):
            time = now
            messages = evaluate(at: now) + heartbeat(at: now)
        case .runtimeAlert(let alert):
            time = alert.time
            messages = onRuntimeAlert(alert)
            messages += evaluate(at: time)
        case .started(let now, let detail):
            time = now
            startedAt = now
            lastHeartbeat = now
            if settings.lifecycle {
                messages.append(AlertMessage(category: .lifecycle, rule: "lifecycle", severity: .info, symbol: nil,
                                             title: "QuantumTrader started", lines: [AlertMessage.Line(nil, detail)], time: now))
            }
        case .stopping(let now, let detail):
            time = now
            if settings.lifecycle {
                messages.append(AlertMessage(category: .lifecycle, rule: "lifecycle", severity: .warning, symbol: nil,
                                             title: "QuantumTrader stopping", lines: [AlertMessage.Line(nil, detail)], time: now))
            }
        case .deliveryFailed(let channel, let detail, let now):
            time = now
            if failingChannels[channel] == nil { failingChannels[channel] = (now, detail) }
            messages = evaluate(at: now)
        case .deliveryRecovered(let channel, let now):
            time = now
            failingChannels[channel] = nil
            messages = evaluate(at: now)
        }
        var out = limiter.admit(messages, at: time)
        if case .timer = input, let digest = limiter.digest(at: time) { out.append(digest) }
        return out
    }

    mutating func observe(_ snapshot: MonitorSnapshot) {
        if snapshot.venueStreamInSync { venueOutOfSyncSince = nil } else if venueOutOfSyncSince == nil { venueOutOfSyncSince = snapshot.time }
        if snapshot.marketStreamInSync { marketOutOfSyncSince = nil } else if marketOutOfSyncSince == nil { marketOutOfSyncSince = snapshot.time }
        self.snapshot = snapshot
    }

    /// Fires the conditions that have held for their rule's delay and resolves those that cleared.
    mutating func evaluate(at now: Timestamp) -> [AlertMessage] {
        let current = conditions(at: now)
        var messages: [AlertMessage] = []
        for (key, delay) in current.sorted(by: { $0.key < $1.key }) {
            let since = trueSince[key] ?? now
            trueSince[key] = since
            guard fired[key] == nil, now.since(since) >= delay, let message = alertMessage(key, since: since, at: now) else { continue }
            fired[key] = message.title
            messages.append(message)
        }
        // The most urgent first (stable: rule order within a severity).
        messages = messages.enumerated().sorted { ($0.element.severity, -$0.offset) > ($1.element.severity, -$1.offset) }.map(\.element)
        for key in trueSince.keys.sorted() where current[key] == nil {
            trueSince[key] = nil
            if let title = fired.removeValue(forKey: key) { messages.append(resolvedMessage(key, title: title, at: now)) }
        }
        return messages
    }

    mutating func heartbeat(at now: Timestamp) -> [AlertMessage] {
        guard let interval = settings.heartbeatInterval, let last = lastHeartbeat ?? startedAt, now.since(last) >= interval else {
            if lastHeartbeat == nil, startedAt == nil { lastHeartbeat = now }
            return []
        }
        lastHeartbeat = now
        var lines = [AlertMessage.Line("Open positions", "\(snapshot?.positions.count ?? 0)")]
        if let snapshot {
            lines.append(AlertMessage.Line("Today", AlertFormat.usdt(snapshot.realizedToday + snapshot.unrealizedPnL)))
            if let risk = snapshot.riskState { lines.append(AlertMessage.Line("Risk", risk.rawValue)) }
            if let halt = snapshot.manualHalt { lines.append(AlertMessage.Line("Manual halt", halt)) }
        }
        return [AlertMessage(category: .heartbeat, rule: "heartbeat", severity: .info, symbol: nil, title: "QuantumTrader is running",
                             lines: lines, time: now)]
    }
}

/// One condition of one rule about one subject (a symbol, a channel, or nothing).
struct ConditionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    enum Rule: String, Sendable, Hashable, Comparable {
        case stopNotTriggered = "stop_not_triggered"
        case missingBackstop = "missing_backstop"
        case exitOwnerSilent = "exit_owner_silent"
        case positionLoss = "position_loss"
        case allPositionsLosing = "all_positions_losing"
        case dailyLoss = "daily_loss"
        case marketDataSilent = "market_data_silent"
        case userDataSilent = "user_data_silent"
        case orderRejections = "order_rejections"
        case manualHalt = "manual_halt"
        case delivery = "delivery_failed"

        static func < (lhs: Rule, rhs: Rule) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var rule: Rule
    var subject: String

    init(_ rule: Rule, _ subject: String = "") {
        self.rule = rule
        self.subject = subject
    }

    var description: String { subject.isEmpty ? rule.rawValue : "\(rule.rawValue):\(subject)" }

    static func < (lhs: ConditionKey, rhs: ConditionKey) -> Bool { (lhs.rule, lhs.subject) < (rhs.rule, rhs.subject) }
}
