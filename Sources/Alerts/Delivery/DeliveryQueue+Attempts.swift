import Logging
import TradingEngine
import TradingModel

/// A message's attempts: retries with back-off, and the bounds at shutdown (drain deadline, a
/// back-off cut short), with each final result recorded.
extension DeliveryQueue {
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
    func attempts(_ item: Item, retries: Bool) async -> Phase {
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
    func lastAttempt(_ item: Item, number attempt: Int) async -> (delivered: Bool, detail: String) {
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

    func finished(_ outcome: (delivered: Bool, detail: String)) -> Phase {
        .finished(delivered: outcome.delivered, detail: outcome.detail)
    }

    func sent(_ item: Item, attempts: Int, answer: String) -> (delivered: Bool, detail: String) {
        record(item, .sent, attempts: attempts, detail: answer)
        state.update {
            $0.delivered += 1
            $0.activity = .idle
        }
        onOutcome(channel, true, answer, clock.now)
        return (true, answer)
    }

    func dropAtDrain(_ item: Item, attempts: Int) -> (delivered: Bool, detail: String) {
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
    func attemptWithinDrain(_ message: AlertMessage) async -> AttemptEnd {
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

    func fail(_ item: Item, attempts: Int, detail: String) -> (delivered: Bool, detail: String) {
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

    func record(_ item: Item, _ result: NotificationRecord.DeliveryState, attempts: Int, detail: String) {
        guard let store, let id = item.recordID else { return }
        do {
            try store.updateNotification(id: id, state: result, attempts: attempts, detail: detail, time: clock.now)
        } catch {
            logger.error("alerts.history_write_failed", metadata: ["alerts.channel": "\(channel)", "alerts.error": "\(error)"])
        }
    }
}
