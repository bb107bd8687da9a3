import Alerts
import TradingEngine
import TradingModel

/// The phone's commands against the running session (`TradingControl`), through the same store
/// channel as `qt close` and `qt risk`: a close becomes a close request that the session's
/// runtime carries out on its next timer tick through the position's exit owner (reduce-only),
/// a halt or resume becomes a manual risk event that it follows at its next tick. Answers come
/// from the store (the request's outcome) and the alert center's latest snapshot; waits follow
/// the session's progress (`AlertCenter.progress`: runtime inputs and alert-timer ticks) and the
/// session clock, never a sleep.
public struct SessionControl: TradingControl {
    public let sessionLabel: String
    let center: AlertCenter
    let store: any TradeStore
    let clock: any TradingClock
    /// How long a close may take before the answer says it is still pending.
    let closeTimeout: Duration
    /// The session's run (its alerts are the ones `/alerts` lists); nil: every run's.
    let runID: @Sendable () -> Int64?

    public init(sessionLabel: String, center: AlertCenter, store: any TradeStore, clock: any TradingClock, closeTimeout: Duration = .seconds(45),
                runID: @escaping @Sendable () -> Int64? = { nil }) {
        self.sessionLabel = sessionLabel
        self.runID = runID
        self.center = center
        self.store = store
        self.clock = clock
        self.closeTimeout = closeTimeout
    }

    public func snapshot() async -> MonitorSnapshot? { center.snapshot }

    public func close(_ symbol: Symbol?, requestedBy: String) async -> String {
        let id: Int64
        do {
            id = try ManualCloseRequest.submit(symbol: symbol, store: store, clock: clock)
        } catch {
            return "close not requested: \(error.message)"
        }
        let deadline = clock.now.advanced(by: closeTimeout)
        while !Task.isCancelled {
            let seen = center.progress.current
            let request: CloseRequestRecord?
            do { request = try store.closeRequest(id: id) } catch { return "close request \(id): the store cannot be read (\(error))" }
            if let request, request.state != .pending {
                return "close request \(id) \(request.state.rawValue): \(request.detail)" + tradeLines(symbol, since: request.requestedAt)
            }
            if clock.now >= deadline {
                return "close request \(id) still pending after \(closeTimeout): the session has not carried it out (is it running?)"
            }
            await center.progress.wait { $0 > seen }
        }
        return "close request \(id) recorded; the answer was not awaited (shutting down)"
    }

    /// The closed trades of `symbol` (nil: all) since `time`, as lines for the answer.
    func tradeLines(_ symbol: Symbol?, since time: Timestamp) -> String {
        let trades = (center.snapshot?.trades ?? []).filter { $0.exitTime >= time && (symbol == nil || $0.symbol == symbol) }
        return trades.map { trade in
            let move = trade.exitPrice.relativeChange(from: trade.entryPrice, .nearest).percent * Double(trade.side.sign)
            return "\n\(trade.symbol) \(trade.side) \(trade.quantity) closed at \(trade.exitPrice) (\(trade.exitReason.rawValue)): "
                + "price move \(AlertFormat.percent(move)), net \(AlertFormat.usdt(trade.netPnL))"
        }.joined()
    }

    public func halt(reason: String, by who: String) async -> String {
        do {
            let outcome = try RiskControl.halt(reason: reason, who: who, time: clock.now, store: store)
            let applied = await waitForManualState(halted: true)
            return outcome.lines.joined(separator: "; ") + applied
        } catch {
            return "halt not recorded: \(error)"
        }
    }

    public func resume(reason: String, by who: String) async -> String {
        do {
            let outcome = try RiskControl.resume(reason: reason, who: who, time: clock.now, store: store)
            let applied = await waitForManualState(halted: false)
            return outcome.lines.joined(separator: "; ") + applied
        } catch {
            return "resume not recorded: \(error)"
        }
    }

    /// Waits (up to 5 s of session time) until the session shows the manual state.
    func waitForManualState(halted: Bool) async -> String {
        let deadline = clock.now.advanced(by: .seconds(5))
        while !Task.isCancelled {
            let seen = center.progress.current
            if let snapshot = center.snapshot, (snapshot.manualHalt != nil) == halted {
                return halted ? "; the session takes no new entries" : "; the session takes entries again"
            }
            if clock.now >= deadline { return "; the session applies it at its next tick" }
            await center.progress.wait { $0 > seen }
        }
        return ""
    }

    public func recentAlerts(limit: Int) async throws -> [Alert] {
        let all = try store.alerts(runID: runID())
        return Array(all.suffix(max(0, limit)).map(\.alert))
    }
}
