import Synchronization
import TradingEngine
import TradingModel

/// A `TradeStore` in memory, for tests. Same contract as `Storage.SQLiteTradeStore` (one contract
/// suite runs against both): ids count from 1, lists come back in insertion order (exit states by
/// position key), unknown runs are rejected, and a failing call changes nothing.
///
/// Each call works on a copy of the state and commits it only when every step succeeded.
public final class InMemoryTradeStore: TradeStore, @unchecked Sendable {
    // @unchecked: every access to `state` and `failingTable` goes through `lock`.
    private let lock = Mutex(())
    private var state = State()
    private var failingTable: String?
    /// Committed writes so far, and the tasks waiting for the next one (`waitUntil`).
    private var version = 0
    private var changeWaiters: [(id: Int, after: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextWaiterID = 0

    private struct State {
        var runs: [RunRecord] = []
        var orderEvents: [OrderEventRecord] = []
        /// Latest event per (run, order): the `orders` table of the SQL store.
        var orders: [OrderKey: OrderEventRecord] = [:]
        var fills: [FillRecord] = []
        var trades: [TradeRecord] = []
        var exitStates: [ExitKey: ExitStateRecord] = [:]
        var decisions: [DecisionRecord] = []
        var alerts: [AlertRecord] = []
        var equity: [EquitySnapshotRecord] = []
        var riskEvents: [RiskEventRecord] = []
        var closeRequests: [CloseRequestRecord] = []
        var notifications: [NotificationRecord] = []
        var commands: [CommandRecord] = []
    }

    private struct OrderKey: Hashable {
        var runID: Int64
        var clientOrderID: ClientOrderID
    }

    private struct ExitKey: Hashable {
        var runID: Int64
        var positionKey: String
    }

    public init() {}

    /// Test hook: every later write to `table` (SQL table names: `orders`, `order_events`,
    /// `fills`, …) throws `TradeStoreError.database`, as an injected SQLite fault would.
    /// Nil removes the fault.
    public func injectFailure(onWriteTo table: String?) {
        lock.withLock { _ in failingTable = table }
    }

    /// Test hook: rows in a table, by SQL table name (`orders` counts distinct orders per run).
    public func count(of table: String) -> Int {
        read { state in
            switch table {
            case "runs": state.runs.count
            case "orders": state.orders.count
            case "order_events": state.orderEvents.count
            case "fills": state.fills.count
            case "trades": state.trades.count
            case "exit_states": state.exitStates.count
            case "decisions": state.decisions.count
            case "alerts": state.alerts.count
            case "equity_snapshots": state.equity.count
            case "risk_events": state.riskEvents.count
            case "close_requests": state.closeRequests.count
            case "notifications": state.notifications.count
            case "commands": state.commands.count
            default: preconditionFailure("unknown table \(table)")
            }
        }
    }

    // MARK: - Runs

    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try write { state, step in
            try step("runs")
            var stored = run
            stored.id = Int64(state.runs.count + 1)
            state.runs.append(stored)
            return stored.id!
        }
    }

    public func finishRun(id: Int64, finishedAt: Timestamp, summaryJSON: String) throws {
        try write { state, step in
            try Self.requireRun(id, in: state)
            try step("runs")
            let index = Int(id - 1)
            state.runs[index].finishedAt = finishedAt
            state.runs[index].summaryJSON = summaryJSON
        }
    }

    public func runs() throws -> [RunRecord] { read { $0.runs } }

    // MARK: - Whole runs

    /// The run, its records in order and its finish in one write: an injected failure on any
    /// table the recording touches leaves no run and no records (as SQLite's rollback does).
    public func recordRun(_ recording: RunRecording) throws -> Int64 {
        try write { state, step in
            try step("runs")
            var run = recording.run
            let id = Int64(state.runs.count + 1)
            run.id = id
            run.finishedAt = nil
            run.summaryJSON = nil
            state.runs.append(run)
            for var decision in recording.decisions {
                try step("decisions")
                decision.runID = id
                state.decisions.append(decision)
            }
            for operation in recording.operations {
                switch operation {
                case .order(var event):
                    event.runID = id
                    try step("orders")
                    state.orders[OrderKey(runID: id, clientOrderID: event.clientOrderID)] = event
                    try step("order_events")
                    state.orderEvents.append(event)
                case .saveExitState(var exitState):
                    exitState.runID = id
                    try step("exit_states")
                    state.exitStates[ExitKey(runID: id, positionKey: exitState.positionKey)] = exitState
                case .deleteExitState(let key):
                    try step("exit_states")
                    state.exitStates[ExitKey(runID: id, positionKey: key)] = nil
                case .riskEvent(var event):
                    event.runID = id
                    try step("risk_events")
                    state.riskEvents.append(event)
                }
            }
            for var fill in recording.fills {
                try step("fills")
                fill.runID = id
                state.fills.append(fill)
            }
            for var trade in recording.trades {
                try step("trades")
                trade.runID = id
                state.trades.append(trade)
            }
            for var alert in recording.alerts {
                try step("alerts")
                alert.runID = id
                state.alerts.append(alert)
            }
            for var snapshot in recording.equity {
                try step("equity_snapshots")
                snapshot.runID = id
                state.equity.append(snapshot)
            }
            try step("runs")
            state.runs[Int(id - 1)].finishedAt = recording.finishedAt
            state.runs[Int(id - 1)].summaryJSON = recording.summaryJSON
            return id
        }
    }

    // MARK: - Orders

    public func recordOrder(_ event: OrderEventRecord) throws {
        try write { state, step in
            try Self.requireRun(event.runID, in: state)
            try step("orders")
            state.orders[OrderKey(runID: event.runID, clientOrderID: event.clientOrderID)] = event
            try step("order_events")
            state.orderEvents.append(event)
        }
    }

    public func orderHistory(_ id: ClientOrderID) throws -> [OrderEventRecord] {
        read { $0.orderEvents.filter { $0.clientOrderID == id } }
    }

    public func latestOrderEvents(runID: Int64) throws -> [OrderEventRecord] {
        read { state in
            state.orders.values.filter { $0.runID == runID }
                .sorted { ($0.time, $0.clientOrderID.value) < ($1.time, $1.clientOrderID.value) }
        }
    }

    // MARK: - Records of a run

    public func recordFill(_ fill: FillRecord) throws {
        try append(fill, runID: fill.runID, table: "fills", \.fills)
    }

    public func fills(runID: Int64) throws -> [FillRecord] { read { $0.fills.filter { $0.runID == runID } } }

    public func recordTrade(_ trade: TradeRecord) throws {
        try append(trade, runID: trade.runID, table: "trades", \.trades)
    }

    public func trades(runID: Int64) throws -> [TradeRecord] { read { $0.trades.filter { $0.runID == runID } } }

    public func saveExitState(_ exitState: ExitStateRecord) throws {
        try write { state, step in
            try Self.requireRun(exitState.runID, in: state)
            try step("exit_states")
            state.exitStates[ExitKey(runID: exitState.runID, positionKey: exitState.positionKey)] = exitState
        }
    }

    public func exitStates(runID: Int64) throws -> [ExitStateRecord] {
        read { $0.exitStates.values.filter { $0.runID == runID }.sorted { $0.positionKey < $1.positionKey } }
    }

    public func deleteExitState(runID: Int64, positionKey: String) throws {
        try write { state, step in
            try step("exit_states")
            state.exitStates[ExitKey(runID: runID, positionKey: positionKey)] = nil
        }
    }

    public func recordDecision(_ decision: DecisionRecord) throws {
        try append(decision, runID: decision.runID, table: "decisions", \.decisions)
    }

    public func decisions(runID: Int64) throws -> [DecisionRecord] { read { $0.decisions.filter { $0.runID == runID } } }

    public func recordAlert(_ alert: AlertRecord) throws {
        try append(alert, runID: alert.runID, table: "alerts", \.alerts)
    }

    public func alerts(runID: Int64?) throws -> [AlertRecord] {
        read { state in runID.map { id in state.alerts.filter { $0.runID == id } } ?? state.alerts }
    }

    public func recordEquity(_ snapshot: EquitySnapshotRecord) throws {
        try append(snapshot, runID: snapshot.runID, table: "equity_snapshots", \.equity)
    }

    public func equity(runID: Int64) throws -> [EquitySnapshotRecord] { read { $0.equity.filter { $0.runID == runID } } }

    /// Account-level records (no run id) must be a manual halt or resume, as the SQLite
    /// store's CHECK constraint (schema v4) demands.
    public func recordRiskEvent(_ event: RiskEventRecord) throws {
        if event.runID == nil && !(event.cause == "manual" && (event.knownState == .halted || event.knownState == .resumed)) {
            throw TradeStoreError.database("CHECK constraint failed: an account-level risk record must be a manual halt or resume")
        }
        try append(event, runID: event.runID, table: "risk_events", \.riskEvents)
    }

    /// Adds a risk record without the constraint: what a store written before schema v4 may
    /// hold (an unknown manual state), for tests of how readers treat it.
    public func insertLegacyRiskEvent(_ event: RiskEventRecord) throws {
        try append(event, runID: event.runID, table: "risk_events", \.riskEvents)
    }

    public func riskEvents(runID: Int64?) throws -> [RiskEventRecord] {
        read { state in runID.map { id in state.riskEvents.filter { $0.runID == id } } ?? state.riskEvents }
    }

    // MARK: - Close requests

    public func recordCloseRequest(_ request: CloseRequestRecord) throws -> Int64 {
        try write { state, step in
            try step("close_requests")
            var stored = request
            stored.id = Int64(state.closeRequests.count + 1)
            state.closeRequests.append(stored)
            return stored.id!
        }
    }

    public func pendingCloseRequests() throws -> [CloseRequestRecord] { read { $0.closeRequests.filter { $0.state == .pending } } }

    public func closeRequest(id: Int64) throws -> CloseRequestRecord? { read { $0.closeRequests.first { $0.id == id } } }

    public func resolveCloseRequest(id: Int64, state newState: CloseRequestRecord.State, detail: String, runID: Int64, time: Timestamp) throws {
        try write { state, step in
            try Self.requireRun(runID, in: state)
            try step("close_requests")
            guard let index = state.closeRequests.firstIndex(where: { $0.id == id }), state.closeRequests[index].state == .pending else {
                throw TradeStoreError.closeRequestNotPending(id)
            }
            state.closeRequests[index].state = newState
            state.closeRequests[index].detail = detail
            state.closeRequests[index].resolvedAt = time
            state.closeRequests[index].resolvedByRunID = runID
        }
    }

    // MARK: - Alert history and commands

    public func recordNotification(_ notification: NotificationRecord) throws -> Int64 {
        try write { state, step in
            if let runID = notification.runID { try Self.requireRun(runID, in: state) }
            try step("notifications")
            var stored = notification
            stored.id = Int64(state.notifications.count + 1)
            state.notifications.append(stored)
            return stored.id!
        }
    }

    public func updateNotification(id: Int64, state newState: NotificationRecord.DeliveryState, attempts: Int, detail: String,
                                   time: Timestamp) throws {
        try write { state, step in
            try step("notifications")
            guard id >= 1 && id <= Int64(state.notifications.count) else { throw TradeStoreError.notFound(table: "notifications", id: id) }
            let index = Int(id - 1)
            state.notifications[index].state = newState
            state.notifications[index].attempts = attempts
            state.notifications[index].detail = detail
            state.notifications[index].finishedAt = newState == .pending ? nil : time
        }
    }

    public func notifications(runID: Int64?, limit: Int) throws -> [NotificationRecord] {
        read { state in
            let rows = runID.map { id in state.notifications.filter { $0.runID == id } } ?? state.notifications
            return Array(rows.suffix(max(0, limit)))
        }
    }

    public func recordCommand(_ command: CommandRecord) throws -> Int64 {
        try write { state, step in
            if let runID = command.runID { try Self.requireRun(runID, in: state) }
            try step("commands")
            var stored = command
            stored.id = Int64(state.commands.count + 1)
            state.commands.append(stored)
            return stored.id!
        }
    }

    public func commands(limit: Int) throws -> [CommandRecord] { read { Array($0.commands.suffix(max(0, limit))) } }

    // MARK: - Transactions

    private func read<T>(_ body: (State) -> T) -> T { lock.withLock { _ in body(state) } }

    /// Runs `body` on a copy of the state; commits only if it returns. `step(table)` throws when a
    /// failure is injected for that table.
    private func write<T>(_ body: (inout State, (String) throws -> Void) throws -> T) throws -> T {
        let (result, ready): (T, [CheckedContinuation<Void, Never>]) = try lock.withLock { _ in
            var copy = state
            let failing = failingTable
            let result = try body(&copy) { table in
                if table == failing { throw TradeStoreError.database("injected failure writing \(table)") }
            }
            state = copy
            version += 1
            let ready = changeWaiters.map(\.continuation)
            changeWaiters.removeAll()
            return (result, ready)
        }
        for continuation in ready { continuation.resume() }
        return result
    }

    // MARK: - Waiting for changes (tests)

    /// Returns once `condition` holds, re-checking it after each committed write (never polling):
    /// `await store.waitUntil { !((try? $0.pendingCloseRequests()) ?? []).isEmpty }`. Returns
    /// when the task is cancelled too.
    public func waitUntil(_ condition: @Sendable (InMemoryTradeStore) -> Bool) async {
        while !Task.isCancelled {
            let seen = lock.withLock { _ in version }
            if condition(self) { return }
            await waitForWrite(after: seen)
        }
    }

    /// Returns once a write committed after the store had `seen` writes (at once if one has).
    private func waitForWrite(after seen: Int) async {
        let id: Int = lock.withLock { _ in
            nextWaiterID += 1
            return nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock { _ in
                    if version > seen || Task.isCancelled { return true }
                    changeWaiters.append((id, seen, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, Never>? = lock.withLock { _ in
                guard let index = changeWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return changeWaiters.remove(at: index).continuation
            }
            continuation?.resume()
        }
    }

    private func append<Record>(_ record: Record, runID: Int64?, table: String,
                                _ list: WritableKeyPath<State, [Record]>) throws {
        try write { state, step in
            if let runID { try Self.requireRun(runID, in: state) }
            try step(table)
            state[keyPath: list].append(record)
        }
    }

    private static func requireRun(_ id: Int64, in state: State) throws {
        guard id >= 1 && id <= Int64(state.runs.count) else { throw TradeStoreError.unknownRun(id) }
    }
}
