import Foundation
import TradingEngine
import TradingModel

/// The core of `qt status --db FILE`: the last runs, the open positions with their exit state
/// (stop, open targets, whether the exchange backstop rests), the risk state and recent alerts,
/// read from the store only (no venue access).
public struct StoreStatus: Sendable {
    /// One open position as its exit owner last saved it.
    public struct OpenPosition: Sendable {
        public var runID: Int64
        public var positionKey: String
        public var symbol: Symbol
        public var executor: String
        public var side: Side?
        public var entryPrice: Price?
        public var remainingQuantity: Quantity?
        public var stopPrice: Price?
        /// (level, price, quantity) of the take-profit slices not hit yet.
        public var openTargets: [(level: Int, price: Price, quantity: Quantity)]
        /// Trigger of the resting (accepted) exchange backstop; nil: none rests.
        public var restingBackstop: Price?
        public var lastPriceEventAt: Timestamp?
        public var updatedAt: Timestamp
        /// Set when the saved state cannot be read by this build (the position needs a person).
        public var problem: String?
    }

    public var runs: [RunRecord]
    public var positions: [OpenPosition]
    public var risk: RiskControl.Outcome
    public var alerts: [AlertRecord]

    /// Reads the status: the `runLimit` latest runs, every saved exit state, the risk state and
    /// the `alertLimit` latest alerts.
    public init(store: any TradeStore, runLimit: Int = 5, alertLimit: Int = 10) throws {
        let allRuns = try store.runs()
        runs = Array(allRuns.suffix(runLimit))
        positions = []
        for run in allRuns {
            guard let id = run.id else { continue }
            for record in try store.exitStates(runID: id) { positions.append(Self.position(record)) }
        }
        risk = try RiskControl.status(store: store, limit: 5)
        alerts = Array(try store.alerts(runID: nil).suffix(alertLimit))
    }

    static func position(_ record: ExitStateRecord) -> OpenPosition {
        var position = OpenPosition(runID: record.runID, positionKey: record.positionKey, symbol: record.symbol, executor: record.executor,
                                    openTargets: [], lastPriceEventAt: record.lastPriceEventAt, updatedAt: record.updatedAt)
        guard record.executor == ExitExecutor.name else {
            position.problem = "executor \(record.executor) is not one this build can read"
            return position
        }
        do {
            let state = try JSONDecoder().decode(ExitExecutorState.self, from: Data(record.stateJSON.utf8))
            position.side = state.side
            position.entryPrice = state.entryPrice
            position.remainingQuantity = state.openQuantity
            position.stopPrice = state.stopPrice
            position.openTargets = state.slices.filter { !$0.hit }.map { ($0.level, $0.price, $0.quantity) }
            position.restingBackstop = state.restingBackstop?.triggerPrice
        } catch {
            position.problem = "saved exit state cannot be read: \(error)"
        }
        return position
    }

    /// The status as text lines.
    public var lines: [String] {
        var lines = ["runs (latest \(runs.count)):"]
        if runs.isEmpty { lines.append("  none") }
        for run in runs.reversed() {
            let finished = run.finishedAt.map { "finished \($0)" } ?? "not finished"
            lines.append("  #\(run.id ?? 0) \(run.kind.rawValue) \(Self.text(String(run.detail.prefix { $0 != " " }))) config \(Self.text(run.configHash)) "
                         + "started \(run.startedAt), \(finished)" + (run.summaryJSON.map { " \(Self.text($0))" } ?? ""))
        }
        lines.append("open positions: \(positions.isEmpty ? "none" : String(positions.count))")
        for position in positions {
            var line = "  \(position.symbol) \(position.side.map { "\($0)" } ?? "?") \(position.remainingQuantity.map { "\($0)" } ?? "?")"
                + " @ \(position.entryPrice.map { "\($0)" } ?? "?") (run \(position.runID), \(Self.text(position.executor)))"
            if let stop = position.stopPrice { line += " stop \(stop)" }
            let targets = position.openTargets.map { "TP\($0.level) \($0.price) × \($0.quantity)" }
            line += targets.isEmpty ? ", no open targets" : ", targets " + targets.joined(separator: ", ")
            line += position.restingBackstop.map { ", backstop \($0) resting" } ?? ", backstop MISSING"
            line += ", last price event \(position.lastPriceEventAt.map { "\($0)" } ?? "none")"
            if let problem = position.problem { line += " — PROBLEM: \(Self.text(problem))" }
            lines.append(line)
        }
        lines += risk.lines
        lines.append("alerts (latest \(alerts.count)):")
        if alerts.isEmpty { lines.append("  none") }
        for record in alerts.reversed() {
            let alert = record.alert
            lines.append("  \(alert.time) \(alert.severity.rawValue) \(Self.text(alert.kind.rawValue))\(alert.symbol.map { " \($0)" } ?? ""): "
                         + Self.text(alert.message))
        }
        return lines
    }

    /// Stored text for the terminal: control characters escaped, cut at 500 characters.
    static func text(_ stored: String) -> String { DisplayText.escaped(stored, limit: 500) }
}
