import TradingModel

/// One message sent (or meant to be sent) to a person through one notifier channel, with what
/// became of it: the alert history a trader, `qt alerts history` and the dashboard read.
/// The text is what the person reads, without markup; it never holds a secret.
public struct NotificationRecord: Sendable, Hashable {
    /// Why the message exists.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        /// A condition began, or an alert the runtime raised.
        case alert
        /// A condition that was alerted has cleared.
        case resolved
        /// Several alerts held back by the rate limit, in one message.
        case digest
        /// "Still running" at the configured interval.
        case heartbeat
        /// The process started or stopped.
        case lifecycle
        /// `qt alerts test`.
        case test
        /// The answer to a command (Telegram).
        case reply
    }

    /// What the notifier achieved.
    public enum DeliveryState: String, Sendable, Hashable, CaseIterable {
        /// Queued, not delivered yet.
        case pending
        /// The channel accepted it.
        case sent
        /// Every attempt failed, or the channel refused it for good (the detail says why).
        case failed
        /// Never attempted: the notifier's queue was full, or the process stopped first.
        case dropped
    }

    public var id: Int64?
    /// The run whose alert it is; nil outside a run (`qt alerts test`).
    public var runID: Int64?
    /// `telegram`, `webhook`.
    public var channel: String
    public var category: Category
    /// The rule or runtime alert kind behind it (`stop_not_triggered`, `runtime:watchdog.beyond_stop`).
    public var rule: String
    public var severity: AlertSeverity
    public var symbol: Symbol?
    public var text: String
    public var createdAt: Timestamp
    public var state: DeliveryState
    /// Delivery attempts made so far.
    public var attempts: Int
    /// The channel's answer or the last error (`message 42`, `HTTP 500`, `timed out after 10 s`).
    public var detail: String
    /// When it was delivered, failed for good or dropped.
    public var finishedAt: Timestamp?

    public init(id: Int64? = nil, runID: Int64?, channel: String, category: Category, rule: String, severity: AlertSeverity,
                symbol: Symbol?, text: String, createdAt: Timestamp, state: DeliveryState = .pending, attempts: Int = 0,
                detail: String = "", finishedAt: Timestamp? = nil) {
        self.id = id
        self.runID = runID
        self.channel = channel
        self.category = category
        self.rule = rule
        self.severity = severity
        self.symbol = symbol
        self.text = text
        self.createdAt = createdAt
        self.state = state
        self.attempts = attempts
        self.detail = detail
        self.finishedAt = finishedAt
    }
}

/// A command a person sent from the phone (Telegram), with who sent it and what it did.
/// Commands from chats that are not authorised are recorded too (`authorized` false), and
/// nothing else happens for them.
public struct CommandRecord: Sendable, Hashable {
    public var id: Int64?
    /// The run that received it; nil outside a run.
    public var runID: Int64?
    /// `telegram`.
    public var channel: String
    /// The channel's id of the update (Telegram `update_id`).
    public var updateID: Int64
    public var chatID: Int64
    /// Who sent it, as the channel names them (`@trader (user 123)`).
    public var sender: String
    /// The command text as received (at most 200 characters).
    public var text: String
    public var authorized: Bool
    /// What was done (`close request 3 done: ATOMUSDT closed …`, `ignored: chat not authorised`).
    public var outcome: String
    public var time: Timestamp

    public init(id: Int64? = nil, runID: Int64?, channel: String, updateID: Int64, chatID: Int64, sender: String, text: String,
                authorized: Bool, outcome: String, time: Timestamp) {
        self.id = id
        self.runID = runID
        self.channel = channel
        self.updateID = updateID
        self.chatID = chatID
        self.sender = sender
        self.text = text
        self.authorized = authorized
        self.outcome = outcome
        self.time = time
    }
}
