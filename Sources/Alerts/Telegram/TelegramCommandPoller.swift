import Synchronization
import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel

/// Long-polls `getUpdates` and carries out commands from the authorised chats; a `Service`.
///
/// - Updates are handled at most once each, in `update_id` order (a batch out of order is
///   sorted, an id seen before is skipped: the last 1000 ids of this process and the ids already
///   in the store's `commands` table, so a restart does not carry a command out again), and
///   confirmed by the next call's offset.
/// - A message from any other chat is ignored (no answer) and recorded with who sent it. A
///   message older than the session (sent while no bot was running) or older than
///   `maxCommandAge` (it waited at Telegram while the bot could not poll) is recorded, answered
///   and not carried out.
/// - `/close SYMBOL` and `/closeall` answer with a one-time code; `/confirm CODE` from the same
///   chat within its validity closes through the session's exit owners (`TradingControl`).
/// - Every command is recorded in the store with its sender and outcome, and answered; the
///   answer is recorded in `notifications` (category `reply`) with its delivery result.
/// - Failed polls (429 with `retry_after`, 5xx, no answer within the poll and request timeouts)
///   wait the back-off of `backoff` before the next poll, on the injected `sleep`: never a busy
///   loop. Each command runs in its own child task, so a close waiting for its fill does not
///   hold the others up, and nothing here runs on the trading loop.
public final class TelegramCommandPoller: Service, @unchecked Sendable {
    /// What the poll loop is doing, for tests and status.
    public struct PollState: Sendable, Hashable {
        /// `getUpdates` calls started.
        public var requests = 0
        /// Failed polls in a row (0 after a successful one).
        public var failures = 0
        /// The last failure, without the token.
        public var lastError: String?
        /// Set while waiting for the back-off after a failed poll.
        public var waitingUntil: Timestamp?
        /// The offset the next poll confirms (the highest update id handled + 1).
        public var offset: Int64?
    }

    let api: TelegramBotAPI
    let authorizedChats: Set<Int64>
    let control: any TradingControl
    let center: AlertCenter?
    let store: (any TradeStore)?
    /// The run commands are recorded under.
    let runID: @Sendable () -> Int64?
    let clock: any TradingClock
    let sleep: @Sendable (Duration) async throws -> Void
    let makeCode: @Sendable () -> String
    let logger: Logger
    let pollTimeout: Duration
    let requestTimeout: Duration
    let backoff: DeliveryPolicy
    /// Messages sent before this time are not carried out (stale commands queued at Telegram).
    let notBefore: Timestamp
    /// Messages older than this when they arrive are not carried out.
    let maxCommandAge: Duration
    let lock = Mutex(())
    var codes: ConfirmationCodes
    private var seen: Set<Int64> = []
    private var seenOrder: [Int64] = []
    /// Commands recorded so far (tests wait on it).
    public let handled = WatchedValue(0)
    public let pollState = WatchedValue(PollState())

    /// - Parameters:
    ///   - pollTimeout: how long Telegram holds a `getUpdates` call open (at least 1 s: a zero
    ///     timeout would be short polling, a request loop while nobody writes).
    ///   - backoff: the waits after failed polls (`initialBackoff` doubling to `maxBackoff`,
    ///     Telegram's `retry_after` on 429).
    public init(api: TelegramBotAPI, authorizedChats: Set<Int64>, control: any TradingControl, center: AlertCenter?,
                store: (any TradeStore)?, runID: @escaping @Sendable () -> Int64?, clock: any TradingClock,
                sleep: @escaping @Sendable (Duration) async throws -> Void, makeCode: @escaping @Sendable () -> String,
                logger: Logger, pollTimeout: Duration = .seconds(25), requestTimeout: Duration = .seconds(10),
                confirmWithin: Duration = .seconds(60), notBefore: Timestamp, maxCommandAge: Duration = .seconds(60),
                backoff: DeliveryPolicy = DeliveryPolicy()) {
        self.api = api
        self.authorizedChats = authorizedChats
        self.control = control
        self.center = center
        self.store = store
        self.runID = runID
        self.clock = clock
        self.sleep = sleep
        self.makeCode = makeCode
        self.logger = logger
        self.pollTimeout = max(pollTimeout, .seconds(1))
        self.requestTimeout = requestTimeout
        self.backoff = backoff
        self.notBefore = notBefore
        self.maxCommandAge = maxCommandAge
        codes = ConfirmationCodes(validity: confirmWithin)
    }

    public func run() async throws {
        rememberRecordedUpdates()
        try? await cancelWhenGracefulShutdown {
            await self.poll()
        }
    }

    func poll() async {
        var failures = 0
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let offset = pollState.update { state -> Int64? in
                    state.requests += 1
                    return state.offset
                }
                let updates: [TelegramUpdate]
                do throws(DeliveryError) {
                    updates = try await api.getUpdates(offset: offset, pollTimeout: pollTimeout, timeout: requestTimeout)
                    failures = 0
                    pollState.update {
                        $0.failures = 0
                        $0.lastError = nil
                    }
                } catch {
                    if Task.isCancelled { break }
                    failures += 1
                    let wait = backoff.backoff(after: failures, error: error)
                    let until = clock.now.advanced(by: wait)
                    let count = failures
                    pollState.update {
                        $0.failures = count
                        $0.lastError = error.message
                        $0.waitingUntil = until
                    }
                    logger.warning("telegram.poll_failed", metadata: ["telegram.error": "\(error.message)", "telegram.wait": "\(wait)",
                                                                      "telegram.failures": "\(failures)"])
                    do { try await sleep(wait) } catch { break }
                    pollState.update { $0.waitingUntil = nil }
                    continue
                }
                for update in updates.sorted(by: { $0.updateID < $1.updateID }) {
                    pollState.update { $0.offset = max($0.offset ?? 0, update.updateID + 1) }
                    guard markSeen(update.updateID) else {
                        logger.notice("telegram.duplicate_update", metadata: ["telegram.update": "\(update.updateID)"])
                        continue
                    }
                    group.addTask { await self.handle(update) }
                }
            }
            group.cancelAll()
        }
    }

    /// Marks the update ids already in the store's command records as seen. The offset is not
    /// taken from them: after a week without updates Telegram numbers the next one at random.
    func rememberRecordedUpdates() {
        guard let store else { return }
        do {
            for record in try store.commands(limit: 1000) where record.channel == "telegram" { _ = markSeen(record.updateID) }
        } catch {
            logger.error("telegram.command_history_unreadable", metadata: ["telegram.error": "\(error)"])
        }
    }

    /// True the first time `id` is seen (the last 1000 ids are remembered).
    private func markSeen(_ id: Int64) -> Bool {
        lock.withLock { _ in
            guard seen.insert(id).inserted else { return false }
            seenOrder.append(id)
            if seenOrder.count > 1000 { seen.remove(seenOrder.removeFirst()) }
            return true
        }
    }

    /// One update: authorised or not, recorded; authorised commands carried out and answered.
    public func handle(_ update: TelegramUpdate) async {
        guard let chatID = update.chatID, let text = update.text else { return }
        let now = clock.now
        guard authorizedChats.contains(chatID) else {
            logger.warning("telegram.unauthorised_chat", metadata: ["telegram.chat": "\(chatID)", "telegram.sender": "\(update.sender)"])
            record(update, chatID: chatID, text: text, authorized: false, outcome: "ignored: chat \(chatID) is not authorised", at: now)
            return
        }
        if let stale = staleness(of: update, at: now) {
            record(update, chatID: chatID, text: text, authorized: true, outcome: "ignored: \(stale)", at: now)
            await reply(chatID, "Not carried out: \(TelegramMessageFormat.escape(stale)). Send it again if you still want it.", to: update)
            return
        }
        let (answer, outcome) = await execute(TelegramCommand(text: text), chatID: chatID, sender: update.sender)
        record(update, chatID: chatID, text: text, authorized: true, outcome: outcome, at: clock.now)
        await reply(chatID, answer, to: update)
    }

    /// Why `update` is too old to carry out, or nil. Telegram dates messages in whole seconds,
    /// so the session's start is compared at that resolution.
    func staleness(of update: TelegramUpdate, at now: Timestamp) -> String? {
        guard let date = update.date else { return nil }
        let sent = Timestamp(milliseconds: date * 1000)
        if date < notBefore.milliseconds / 1000 {
            return "sent at \(AlertFormat.clock(sent)), before this session started"
        }
        let age = now.since(sent)
        if age > maxCommandAge {
            return "sent at \(AlertFormat.clock(sent)), \(AlertFormat.duration(age)) ago (older than \(AlertFormat.duration(maxCommandAge)))"
        }
        return nil
    }
}
