import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel

/// Long-polls `getUpdates` and carries out commands from the authorised chats; a `Service`.
///
/// - Updates are handled once each, in `update_id` order (a batch out of order is sorted, a
///   duplicate id is skipped), and confirmed by the next call's offset.
/// - A message from any other chat is ignored (no answer) and recorded with who sent it. A
///   message older than the session (sent while no bot was running) is recorded and not carried out.
/// - `/close SYMBOL` and `/closeall` answer with a one-time code; `/confirm CODE` from the same
///   chat within its validity closes through the session's exit owners (`TradingControl`).
/// - Every command is recorded in the store with its sender and outcome, and answered.
/// - Failed polls are retried with back-off (`retry_after` on 429); each command runs in its
///   own child task, so a close waiting for its fill does not hold the others up.
public final class TelegramCommandPoller: Service, @unchecked Sendable {
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
    /// Messages sent before this time are not carried out (stale commands queued at Telegram).
    let notBefore: Timestamp
    private let lock = Mutex()
    private var codes: ConfirmationCodes
    private var seen: Set<Int64> = []
    private var seenOrder: [Int64] = []
    /// Commands recorded so far (tests wait on it).
    public let handled = WatchedValue(0)

    public init(api: TelegramBotAPI, authorizedChats: Set<Int64>, control: any TradingControl, center: AlertCenter?,
                store: (any TradeStore)?, runID: @escaping @Sendable () -> Int64?, clock: any TradingClock,
                sleep: @escaping @Sendable (Duration) async throws -> Void, makeCode: @escaping @Sendable () -> String,
                logger: Logger, pollTimeout: Duration = .seconds(25), requestTimeout: Duration = .seconds(10),
                confirmWithin: Duration = .seconds(60), notBefore: Timestamp) {
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
        self.pollTimeout = pollTimeout
        self.requestTimeout = requestTimeout
        self.notBefore = notBefore
        codes = ConfirmationCodes(validity: confirmWithin)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await self.poll()
        }
    }

    func poll() async {
        var offset: Int64?
        var failures = 0
        await withTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                let updates: [TelegramUpdate]
                do throws(DeliveryError) {
                    updates = try await api.getUpdates(offset: offset, pollTimeout: pollTimeout, timeout: requestTimeout)
                    failures = 0
                } catch {
                    if Task.isCancelled { break }
                    failures += 1
                    let wait = DeliveryPolicy().backoff(after: failures, error: error)
                    logger.warning("telegram.poll_failed", metadata: ["telegram.error": "\(error.message)", "telegram.wait": "\(wait)"])
                    do { try await sleep(wait) } catch { break }
                    continue
                }
                for update in updates.sorted(by: { $0.updateID < $1.updateID }) {
                    offset = max(offset ?? 0, update.updateID + 1)
                    guard markSeen(update.updateID) else { continue }
                    group.addTask { await self.handle(update) }
                }
            }
            group.cancelAll()
        }
    }

    /// True the first time `id` is seen (the last 1000 ids are remembered).
    private func markSeen(_ id: Int64) -> Bool {
        lock.withLock {
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
        if let date = update.date, date * 1000 < notBefore.milliseconds {
            let outcome = "ignored: sent before this session started (\(AlertFormat.clock(Timestamp(milliseconds: date * 1000))))"
            record(update, chatID: chatID, text: text, authorized: true, outcome: outcome, at: now)
            await reply(chatID, "Not carried out: that command was sent before this session started. Send it again if you still want it.")
            return
        }
        let (answer, outcome) = await execute(TelegramCommand(text: text), chatID: chatID, sender: update.sender)
        record(update, chatID: chatID, text: text, authorized: true, outcome: outcome, at: clock.now)
        await reply(chatID, answer)
    }

    /// Carries a command out; returns the reply (HTML) and the outcome recorded.
    func execute(_ command: TelegramCommand, chatID: Int64, sender: String) async -> (String, String) {
        switch command {
        case .help:
            return (TelegramMessageFormat.escape(TelegramCommand.helpText), "help sent")
        case .status:
            return (CommandReplies.status(await control.snapshot(), session: control.sessionLabel,
                                          activeConditions: center?.activeConditions ?? []), "status sent")
        case .positions:
            return (CommandReplies.positions(await control.snapshot()), "positions sent")
        case .pnl:
            return (CommandReplies.pnl(await control.snapshot()), "pnl sent")
        case .alerts:
            return (CommandReplies.alerts(await control.recentAlerts(limit: 10)), "recent alerts sent")
        case .halt(let reason):
            let outcome = await control.halt(reason: reason, by: "telegram \(sender)")
            return (TelegramMessageFormat.escape(outcome), outcome)
        case .resume(let reason):
            let outcome = await control.resume(reason: reason, by: "telegram \(sender)")
            return (TelegramMessageFormat.escape(outcome), outcome)
        case .close(let symbol):
            return await askConfirmation(.close(symbol), chatID: chatID)
        case .closeAll:
            return await askConfirmation(.closeAll, chatID: chatID)
        case .confirm(let code):
            let taken = lock.withLock { codes.take(code, chatID: chatID, at: clock.now) }
            switch taken {
            case .failure(let error):
                return ("Not confirmed: \(TelegramMessageFormat.escape(error.description))", "confirmation refused: \(error)")
            case .success(let action):
                let symbol: Symbol? = if case .close(let symbol) = action { symbol } else { nil }
                let outcome = await control.close(symbol, requestedBy: "telegram \(sender)")
                return (TelegramMessageFormat.escape(outcome), outcome)
            }
        case .invalid(let why):
            return (TelegramMessageFormat.escape(why), "refused: \(why)")
        }
    }

    /// Describes what would be closed and sends a one-time code; nothing open → nothing asked.
    func askConfirmation(_ action: ConfirmationCodes.Action, chatID: Int64) async -> (String, String) {
        let snapshot = await control.snapshot()
        let positions = snapshot?.positions ?? []
        let targets: [MonitoredPosition]
        switch action {
        case .close(let symbol):
            guard snapshot == nil || snapshot!.symbols.isEmpty || snapshot!.symbols.contains(symbol) else {
                return ("\(symbol) is not traded by this session.", "refused: \(symbol) not traded")
            }
            targets = positions.filter { $0.position.symbol == symbol }
            guard !targets.isEmpty else { return ("No open \(symbol) position.", "refused: no open \(symbol) position") }
        case .closeAll:
            targets = positions
            guard !targets.isEmpty else { return ("No open positions.", "refused: no open positions") }
        }
        let code = makeCode()
        lock.withLock { codes.issue(code, for: action, chatID: chatID, at: clock.now) }
        let lines = targets.map { item -> String in
            let returns = item.returns(equity: snapshot?.equity)
            return "• \(item.position.symbol) \(item.position.side) \(item.position.quantity): price move "
                + "\(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?"), ROE \(returns?.roePct.map(AlertFormat.percent) ?? "?")"
        }
        let reply = "Close at market, reduce-only, through the exit owner:\n" + TelegramMessageFormat.escape(lines.joined(separator: "\n"))
            + "\nSend <b>/confirm \(code)</b> within \(AlertFormat.duration(codes.validity)) to do it."
        return (reply, "confirmation code sent for \(targets.map(\.position.symbol.name).joined(separator: ", "))")
    }

    func reply(_ chatID: Int64, _ html: String) async {
        for attempt in 1...3 {
            do throws(DeliveryError) {
                _ = try await api.sendMessage(chatID: chatID, html: html, timeout: requestTimeout)
                return
            } catch {
                if case .rejected = error.kind { break }
                if attempt == 3 || Task.isCancelled { break }
                do { try await sleep(DeliveryPolicy().backoff(after: attempt, error: error)) } catch { break }
            }
        }
        logger.error("telegram.reply_failed", metadata: ["telegram.chat": "\(chatID)"])
    }

    private func record(_ update: TelegramUpdate, chatID: Int64, text: String, authorized: Bool, outcome: String, at time: Timestamp) {
        logger.notice("telegram.command", metadata: ["telegram.chat": "\(chatID)", "telegram.sender": "\(update.sender)",
                                                     "telegram.authorized": "\(authorized)", "telegram.outcome": "\(outcome)"])
        if let store {
            do {
                _ = try store.recordCommand(CommandRecord(runID: runID(), channel: "telegram", updateID: update.updateID, chatID: chatID,
                                                          sender: update.sender, text: String(text.prefix(200)), authorized: authorized,
                                                          outcome: outcome, time: time))
            } catch {
                logger.error("telegram.command_record_failed", metadata: ["telegram.error": "\(error)"])
            }
        }
        handled.update { $0 += 1 }
    }
}
