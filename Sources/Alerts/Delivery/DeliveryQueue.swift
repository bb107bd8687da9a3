import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel

/// One notifier's bounded queue and its worker, a `Service` of its own: `offer` never waits
/// (the trading loop never does), the worker delivers in order with retries and back-off and
/// records each result in the store. A full queue drops its oldest non-critical message
/// (recorded as `dropped`); a message that failed every attempt is recorded `failed`; both are
/// reported to `onOutcome`, which turns them into a delivery-failure alert through the other
/// channels. At graceful shutdown what is queued gets one attempt each within `drainTimeout`,
/// the rest is recorded `dropped`.
public final class DeliveryQueue: Service, @unchecked Sendable {
    /// A message waiting for delivery and its row in the store (nil when it could not be recorded).
    public struct Item: Sendable {
        public var message: AlertMessage
        public var recordID: Int64?
        public init(message: AlertMessage, recordID: Int64?) {
            self.message = message
            self.recordID = recordID
        }
    }

    /// What the worker is doing, for status and tests.
    public enum Activity: Sendable, Hashable {
        case idle
        /// An attempt is in flight.
        case sending
        /// Waiting for the back-off before the next attempt (until this time on the clock).
        case waiting(until: Timestamp)
        case stopped
    }

    public struct State: Sendable {
        public var queued: [Item] = []
        public var activity = Activity.idle
        public var closing = false
        /// Set by `close()`: when the drain ends on the clock.
        public var drainDeadline: Timestamp?
        public var delivered = 0
        public var failed = 0
        public var dropped = 0
        /// True when nothing can happen before the clock moves: nothing queued and idle, or
        /// waiting for a back-off.
        public var isQuiescent: Bool {
            switch activity {
            case .idle, .stopped: queued.isEmpty
            case .waiting: true
            case .sending: false
            }
        }
    }

    public let notifier: any Notifier
    public let policy: DeliveryPolicy
    let store: (any TradeStore)?
    let clock: any TradingClock
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger
    /// Told of every final outcome: (channel, delivered?, detail, time).
    let onOutcome: @Sendable (String, Bool, String, Timestamp) -> Void
    public let state = WatchedValue(State())

    public init(notifier: any Notifier, policy: DeliveryPolicy, store: (any TradeStore)?, clock: any TradingClock,
                sleep: @escaping @Sendable (Duration) async throws -> Void, logger: Logger,
                onOutcome: @escaping @Sendable (String, Bool, String, Timestamp) -> Void = { _, _, _, _ in }) {
        self.notifier = notifier
        self.policy = policy
        self.store = store
        self.clock = clock
        self.sleep = sleep
        self.logger = logger
        self.onOutcome = onOutcome
    }

    public var channel: String { notifier.channel }

    /// Queues a message without waiting. When the queue is full the oldest non-critical
    /// message (or, if all are critical, the oldest) is dropped and recorded.
    public func offer(_ item: Item) {
        let dropped: Item? = state.update { state in
            guard !state.closing else { return item }
            var victim: Item?
            if state.queued.count >= policy.queueCapacity {
                let index = state.queued.firstIndex { $0.message.severity != .critical } ?? 0
                victim = state.queued.remove(at: index)
                state.dropped += 1
            }
            state.queued.append(item)
            return victim
        }
        if let dropped {
            let detail = "dropped: the \(channel) queue was full (\(policy.queueCapacity) messages)"
            record(dropped, .dropped, attempts: 0, detail: detail)
            logger.error("alerts.delivery_dropped", metadata: ["alerts.channel": "\(channel)", "alerts.rule": "\(dropped.message.rule)"])
            onOutcome(channel, false, detail, clock.now)
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.work()
        } onGracefulShutdown: {
            self.close()
        }
    }

    /// Stops taking messages; what is queued (and an attempt in flight) gets at most one more
    /// attempt each, all within `drainTimeout` from now on the clock; the rest is recorded `dropped`.
    public func close() {
        let deadline = clock.now.advanced(by: policy.drainTimeout)
        state.update {
            guard !$0.closing else { return }
            $0.closing = true
            $0.drainDeadline = deadline
        }
    }

    func work() async {
        while true {
            await state.wait { !$0.queued.isEmpty || $0.closing }
            if Task.isCancelled { break }
            let (next, closing, deadline): (Item?, Bool, Timestamp?) = state.update { state in
                guard !state.queued.isEmpty else { return (nil, state.closing, state.drainDeadline) }
                state.activity = .sending
                return (state.queued.removeFirst(), state.closing, state.drainDeadline)
            }
            guard let item = next else { break }
            if closing, let deadline, clock.now >= deadline {
                record(item, .dropped, attempts: 0, detail: "dropped: the process stopped before it was delivered")
                state.update {
                    $0.dropped += 1
                    $0.activity = .idle
                }
                continue
            }
            await deliver(item, retries: !closing)
        }
        let leftover: [Item] = state.update { state in
            defer {
                state.queued.removeAll()
                state.activity = .stopped
            }
            state.dropped += state.queued.count
            return state.queued
        }
        for item in leftover { record(item, .dropped, attempts: 0, detail: "dropped: the process stopped before it was delivered") }
    }

    /// Delivers `item` now (with the policy's retries), outside the queue: `qt alerts test`.
    /// Returns whether it was delivered and the channel's answer or the last error.
    public func deliverNow(_ item: Item) async -> (delivered: Bool, detail: String) {
        await deliver(item, retries: true)
    }
}
