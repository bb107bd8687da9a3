import Dashboard
import Foundation
import Logging
import TradingEngine
import TradingModel

/// The console's actions over the store's command channel, the one `qt close`, `qt risk` and the
/// Telegram commands use: a close is a close request that the running session's exit owner
/// carries out at its next tick (reduce-only) and resolves; halt and resume are manual risk
/// events the session follows. Every action and every refused login is recorded in the store's
/// `commands` table (channel `dashboard`) with who did it and what came of it.
///
/// Waiting for the session's answer follows `progress` (in a session: every runtime input) or,
/// in a store-only console, `pause` between reads; the deadline is on the injected clock.
public struct StoreDashboardControl: DashboardControl {
    let store: any TradeStore
    let clock: any TradingClock
    /// Returns after the session made progress (or a short pause), so the request is read again.
    let progress: @Sendable () async -> Void
    /// The run that receives the audit lines (the session's), nil outside a session.
    let runID: @Sendable () -> Int64?
    let logger: Logger

    public init(store: any TradeStore, clock: any TradingClock, progress: @escaping @Sendable () async -> Void,
                runID: @escaping @Sendable () -> Int64?, logger: Logger) {
        self.store = store
        self.clock = clock
        self.progress = progress
        self.runID = runID
        self.logger = logger
    }

    public func close(symbol: Symbol?, by actor: String, wait: Duration) async -> ActionOutcome {
        let action = symbol == nil ? "close_all" : "close"
        let id: Int64
        do {
            id = try ManualCloseRequest.submit(symbol: symbol, store: store, clock: clock)
        } catch {
            return ActionOutcome(action: action, state: .failed, detail: "close not requested: \(error.message)")
        }
        logger.notice("dashboard.close_requested", metadata: ["dashboard.request": "\(id)", "dashboard.symbol": "\(symbol?.name ?? "all")",
                                                            "dashboard.actor": "\(actor)"])
        let deadline = clock.now.advanced(by: wait)
        while !Task.isCancelled {
            let request: CloseRequestRecord?
            do { request = try store.closeRequest(id: id) } catch {
                return ActionOutcome(action: action, state: .failed, detail: "close request \(id): the store cannot be read (\(error))", requestID: id)
            }
            if let request, request.state != .pending || clock.now >= deadline {
                return Self.outcome(request, action: action)
            }
            await progress()
        }
        return ActionOutcome(action: action, state: .pending, detail: "close request \(id) recorded; the answer was not awaited", requestID: id)
    }

    static func outcome(_ request: CloseRequestRecord, action: String) -> ActionOutcome {
        let id = request.id ?? 0
        let target = request.symbol?.name ?? "every open position"
        switch request.state {
        case .pending:
            return ActionOutcome(action: action, state: .pending, detail: "close request \(id) for \(target) is waiting for the running session "
                                 + "(it acts at its next tick; with no session on this store it expires after 5 minutes)", requestID: id)
        case .done:
            return ActionOutcome(action: action, state: .done, detail: request.detail, requestID: id)
        case .failed:
            return ActionOutcome(action: action, state: .failed, detail: request.detail, requestID: id)
        }
    }

    public func halt(reason: String, by actor: String) async -> ActionOutcome {
        do {
            let outcome = try RiskControl.halt(reason: reason, who: actor, time: clock.now, store: store)
            return ActionOutcome(action: "halt", state: .done, detail: outcome.lines.joined(separator: "; ")
                                 + "; a running session applies it at its next tick")
        } catch {
            return ActionOutcome(action: "halt", state: .failed, detail: "halt not recorded: \(error)")
        }
    }

    public func resume(reason: String, by actor: String) async -> ActionOutcome {
        do {
            let outcome = try RiskControl.resume(reason: reason, who: actor, time: clock.now, store: store)
            return ActionOutcome(action: "resume", state: .done, detail: outcome.lines.joined(separator: "; ")
                                 + "; a running session applies it at its next tick")
        } catch {
            return ActionOutcome(action: "resume", state: .failed, detail: "resume not recorded: \(error)")
        }
    }

    public func closeRequest(id: Int64) async throws(DashboardError) -> ActionOutcome? {
        do {
            guard let request = try store.closeRequest(id: id) else { return nil }
            return Self.outcome(request, action: request.symbol == nil ? "close_all" : "close")
        } catch {
            throw DashboardError.unavailable("close request \(id)", error)
        }
    }

    public func record(_ entry: AuditEntry) {
        let command = CommandRecord(runID: runID(), channel: "dashboard", updateID: 0, chatID: 0, sender: String(entry.actor.prefix(200)),
                                    text: String(entry.text.prefix(200)), authorized: entry.authorized, outcome: String(entry.outcome.prefix(1000)),
                                    time: clock.now)
        do { _ = try store.recordCommand(command) } catch {
            logger.error("dashboard.audit_not_recorded", metadata: ["dashboard.actor": "\(entry.actor)", "dashboard.text": "\(entry.text)",
                                                                   "dashboard.error": "\(error)"])
        }
    }
}
