import TradingEngine
import TradingModel
import Logging

/// The record of each command (`commands`) and of each answer (`notifications`, category `reply`).
extension TelegramCommandPoller {
    /// The channel name replies are recorded under: `telegram`, or `telegram:<chat>` when alerts
    /// go to several chats (as their delivery queues are named).
    func replyChannel(_ chatID: Int64) -> String { authorizedChats.count > 1 ? "telegram:\(chatID)" : "telegram" }

    /// Sends the answer to `update` (three attempts with the back-off) and records it with its
    /// delivery result.
    func reply(_ chatID: Int64, _ html: String, to update: TelegramUpdate) async {
        let now = clock.now
        let recordID: Int64? = write {
            try $0.recordNotification(NotificationRecord(runID: runID(), channel: replyChannel(chatID), category: .reply, rule: "command",
                                                         severity: .info, symbol: nil, text: TelegramMessageFormat.plain(html), createdAt: now))
        }
        var attempts = 0
        var failure = ""
        for attempt in 1...3 {
            attempts = attempt
            do throws(DeliveryError) {
                let id = try await api.sendMessage(chatID: chatID, html: html, timeout: requestTimeout)
                finishReply(recordID, .sent, attempts: attempt, detail: "message \(id) to chat \(chatID) (reply to update \(update.updateID))")
                return
            } catch {
                failure = error.message
                if case .rejected = error.kind { failure = "refused: \(error.message)"; break }
                if attempt == 3 || Task.isCancelled { break }
                do { try await sleep(backoff.backoff(after: attempt, error: error)) } catch { break }
            }
        }
        finishReply(recordID, .failed, attempts: attempts, detail: "\(attempts) attempt(s) failed, last: \(failure)")
        logger.error("telegram.reply_failed", metadata: ["telegram.chat": "\(chatID)", "telegram.error": "\(failure)"])
    }

    private func finishReply(_ id: Int64?, _ state: NotificationRecord.DeliveryState, attempts: Int, detail: String) {
        guard let id else { return }
        _ = write { try $0.updateNotification(id: id, state: state, attempts: attempts, detail: detail, time: clock.now) }
    }

    func record(_ update: TelegramUpdate, chatID: Int64, text: String, authorized: Bool, outcome: String, at time: Timestamp) {
        logger.notice("telegram.command", metadata: ["telegram.chat": "\(chatID)", "telegram.sender": "\(update.sender)",
                                                     "telegram.authorized": "\(authorized)", "telegram.outcome": "\(outcome)"])
        _ = write {
            try $0.recordCommand(CommandRecord(runID: runID(), channel: "telegram", updateID: update.updateID, chatID: chatID,
                                               sender: update.sender, text: String(text.prefix(200)), authorized: authorized,
                                               outcome: outcome, time: time))
        }
        handled.update { $0 += 1 }
    }

    private func write<T>(_ body: (any TradeStore) throws -> T) -> T? {
        guard let store else { return nil }
        do { return try body(store) } catch {
            logger.error("telegram.record_failed", metadata: ["telegram.error": "\(error)"])
            return nil
        }
    }
}
