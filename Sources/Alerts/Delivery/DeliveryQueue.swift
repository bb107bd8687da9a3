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

    /// How one attempt ended.
    enum AttemptEnd: Sendable {
        case answered(Result<String, DeliveryError>)
        /// The queue is closing and its drain deadline passed first (the attempt was cancelled).
        case drainEnded
        /// The watcher was cancelled (the attempt's own result follows).
        case watcherCancelled
    }

    /// How the attempts with their back-off waits ended.
    enum Phase: Sendable {
        case finished(delivered: Bool, detail: String)
        /// The queue started closing during a back-off wait after `attempts` attempts.
        case interrupted(attempts: Int)
    }

    /// Attempts `item` until delivered, refused for good or out of attempts. Once the queue is
    /// closing (shutdown) no further retry is made after the current attempt, a back-off wait is
    /// cut short for one last attempt, and an attempt still unanswered at the drain deadline is
    /// abandoned and the message recorded `dropped`: shutdown never waits past the drain timeout.
    /// The back-off is waited in the same task that set `.waiting` (tests move the clock only
    /// once it waits); a sibling watcher cancels that wait when the queue starts closing.
    @discardableResult
    func deliver(_ item: Item, retries: Bool) async -> (delivered: Bool, detail: String) {
        let state = self.state
        let phase: Phase = await withTaskGroup(of: Phase?.self) { group in
            group.addTask { await self.attempts(item, retries: retries) }
            group.addTask {
                await state.wait { state in
                    guard state.closing, case .waiting = state.activity else { return false }
                    return true
                }
                return nil
            }
            var result: Phase?
            while let next = await group.next() {
                if let next {
                    result = next
                    break
                }
                group.cancelAll()  // closing during the back-off (or the watcher was cancelled): end the wait
            }
            group.cancelAll()
            return result ?? .interrupted(attempts: 0)
        }
        switch phase {
        case .finished(let delivered, let detail):
            return (delivered, detail)
        case .interrupted(let attempts):
            return await lastAttempt(item, number: attempts + 1)
        }
    }

    /// The attempts and their back-off waits (see `deliver`).
    private func attempts(_ item: Item, retries: Bool) async -> Phase {
        var attempt = 0
        while true {
            attempt += 1
            state.update { $0.activity = .sending }
            let error: DeliveryError
            switch await attemptWithinDrain(item.message) {
            case .answered(.success(let answer)):
                return finished(sent(item, attempts: attempt, answer: answer))
            case .answered(.failure(let failure)):
                error = failure
            case .drainEnded, .watcherCancelled:
                return finished(dropAtDrain(item, attempts: attempt))
            }
            let closing = state.current.closing
            if case .rejected = error.kind { return finished(fail(item, attempts: attempt, detail: "refused: \(error.message)")) }
            if closing && Task.isCancelled { return .interrupted(attempts: attempt) }
            if !retries || closing || attempt >= policy.maxAttempts || Task.isCancelled {
                return finished(fail(item, attempts: attempt, detail: "\(attempt) attempt(s) failed, last: \(error.message)"))
            }
            let wait = policy.backoff(after: attempt, error: error)
            logger.warning("alerts.delivery_retry", metadata: ["alerts.channel": "\(channel)", "alerts.attempt": "\(attempt)",
                                                               "alerts.error": "\(error.message)", "alerts.wait": "\(wait)"])
            state.update { $0.activity = .waiting(until: clock.now.advanced(by: wait)) }
            do { try await sleep(wait) } catch {
                if state.current.closing { return .interrupted(attempts: attempt) }
                return finished(fail(item, attempts: attempt, detail: "stopped while waiting to retry: \(error)"))
            }
        }
    }

    /// The one attempt a message gets after its back-off was cut short by the shutdown.
    private func lastAttempt(_ item: Item, number attempt: Int) async -> (delivered: Bool, detail: String) {
        state.update { $0.activity = .sending }
        switch await attemptWithinDrain(item.message) {
        case .answered(.success(let answer)):
            return sent(item, attempts: attempt, answer: answer)
        case .answered(.failure(let error)):
            if case .rejected = error.kind { return fail(item, attempts: attempt, detail: "refused: \(error.message)") }
            return fail(item, attempts: attempt, detail: "\(attempt) attempt(s) failed, last: \(error.message)")
        case .drainEnded, .watcherCancelled:
            return dropAtDrain(item, attempts: attempt)
        }
    }

    private func finished(_ outcome: (delivered: Bool, detail: String)) -> Phase {
        .finished(delivered: outcome.delivered, detail: outcome.detail)
    }

    private func sent(_ item: Item, attempts: Int, answer: String) -> (delivered: Bool, detail: String) {
        record(item, .sent, attempts: attempts, detail: answer)
        state.update {
            $0.delivered += 1
            $0.activity = .idle
        }
        onOutcome(channel, true, answer, clock.now)
        return (true, answer)
    }

    private func dropAtDrain(_ item: Item, attempts: Int) -> (delivered: Bool, detail: String) {
        let detail = "dropped: no answer within the drain timeout (\(policy.drainTimeout)) at shutdown"
        record(item, .dropped, attempts: attempts, detail: detail)
        state.update {
            $0.dropped += 1
            $0.activity = .idle
        }
        logger.error("alerts.delivery_dropped", metadata: ["alerts.channel": "\(channel)", "alerts.rule": "\(item.message.rule)"])
        return (false, detail)
    }

    /// One attempt, raced against the drain deadline once the queue is closing (the watcher
    /// waits for `closing`, then sleeps until the deadline on the injected `sleep`).
    private func attemptWithinDrain(_ message: AlertMessage) async -> AttemptEnd {
        let (notifier, sleep, state, clock) = (self.notifier, self.sleep, self.state, self.clock)
        return await withTaskGroup(of: AttemptEnd.self) { group in
            group.addTask {
                do throws(DeliveryError) { return .answered(.success(try await notifier.deliver(message))) } catch { return .answered(.failure(error)) }
            }
            group.addTask {
                await state.wait { $0.closing }
                guard !Task.isCancelled, let deadline = state.current.drainDeadline else { return .watcherCancelled }
                do { try await sleep(max(.zero, deadline.since(clock.now))) } catch { return .watcherCancelled }
                return Task.isCancelled ? .watcherCancelled : .drainEnded
            }
            var outcome = AttemptEnd.watcherCancelled
            while let end = await group.next() {
                if case .watcherCancelled = end { continue }
                outcome = end
                break
            }
            group.cancelAll()
            return outcome
        }
    }

    private func fail(_ item: Item, attempts: Int, detail: String) -> (delivered: Bool, detail: String) {
        record(item, .failed, attempts: attempts, detail: detail)
        state.update {
            $0.failed += 1
            $0.activity = .idle
        }
        logger.error("alerts.delivery_failed", metadata: ["alerts.channel": "\(channel)", "alerts.rule": "\(item.message.rule)",
                                                          "alerts.detail": "\(detail)"])
        onOutcome(channel, false, detail, clock.now)
        return (false, detail)
    }

    private func record(_ item: Item, _ result: NotificationRecord.DeliveryState, attempts: Int, detail: String) {
        guard let store, let id = item.recordID else { return }
        do {
            try store.updateNotification(id: id, state: result, attempts: attempts, detail: detail, time: clock.now)
        } catch {
            logger.error("alerts.history_write_failed", metadata: ["alerts.channel": "\(channel)", "alerts.error": "\(error)"])
        }
    }
}
