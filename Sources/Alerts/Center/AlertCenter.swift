import Synchronization
import TradingEngine
import TradingModel

/// Where every alert of a session meets the rules: the runtime's `Alerting` port, the session's
/// snapshots (after each runtime input), the alert timer and the notifiers' outcomes all feed
/// one `AlertRules` machine under a lock; its messages go to an outbox that the
/// `AlertDispatcher` service records and hands to each notifier's queue. Nothing here waits on
/// a notifier or the store, so the trading loop is never slowed by them: `send` and `feed` take
/// the lock for the rules' few comparisons and return.
///
/// A lock-protected box (`@unchecked Sendable`: `rules` is accessed under `lock`; the outbox is
/// a `WatchedValue`).
public final class AlertCenter: Alerting, @unchecked Sendable {
    private let lock = Mutex(())
    private var rules: AlertRules
    /// Messages produced and not yet taken by the dispatcher, oldest first.
    public let outbox = WatchedValue<[AlertMessage]>([])
    /// Counts inputs fed (snapshots and timer ticks): command handlers wait on it for the
    /// session's progress instead of sleeping.
    public let progress = WatchedValue<Int>(0)
    /// Messages produced so far (the dispatcher's `dispatched` catches up with it).
    public let produced = WatchedValue<Int>(0)
    private var latest: MonitorSnapshot?
    /// Also given every runtime alert at once (the terminal's stderr line); nil: none.
    let console: (any Alerting)?

    public init(rules: AlertRules, console: (any Alerting)? = nil) {
        self.rules = rules
        self.console = console
    }

    public var settings: AlertRuleSettings { rules.settings }

    /// The latest snapshot fed (for `/status`, `/positions`, `/pnl`); nil before the first.
    public var snapshot: MonitorSnapshot? { lock.withLock { _ in latest } }

    /// Conditions alerted and not resolved yet (`rule:subject`).
    public var activeConditions: [String] { lock.withLock { _ in rules.activeConditions } }

    /// The `Alerting` port: an alert the runtime raised.
    public func send(_ alert: Alert) async {
        await console?.send(alert)
        feed(.runtimeAlert(alert))
    }

    /// Feeds one input to the rules and queues the messages they return.
    public func feed(_ input: AlertRuleInput) {
        let messages: [AlertMessage] = lock.withLock { _ in
            if case .snapshot(let snapshot) = input { latest = snapshot }
            return rules.on(input)
        }
        if !messages.isEmpty {
            produced.update { $0 += messages.count }
            outbox.update { $0 += messages }
        }
        switch input {
        case .snapshot, .timer: progress.update { $0 += 1 }
        default: break
        }
    }

    /// Removes and returns every queued message (the dispatcher's side).
    public func takeMessages() -> [AlertMessage] {
        outbox.update { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}
