import GRDB
import PostgresNIO
@testable import Storage
import Testing
import TradingEngine
import TradingModel

/// `TradeStore.recordRun` (a whole run in one unit), run against every implementation: the rows
/// are those of one call per record, and a recording that fails part-way leaves nothing.
@Suite struct RunRecordingContractTests {
    /// A run with every kind of record: an order updated twice, an exit state saved, replaced and
    /// deleted and another kept, a risk event, fills, a trade, alerts, equity samples.
    static func recording(runID: Int64 = 0) -> RunRecording {
        var recording = RunRecording(run: StoreFixtures.run(), finishedAt: Timestamp(milliseconds: 1_675_300_000_000),
                                     summaryJSON: "{\"trades\":1}")
        recording.decisions = [StoreFixtures.rejectedDecision(runID: runID), StoreFixtures.approvedDecision(runID: runID)]
        recording.operations = [
            .order(StoreFixtures.entryOrder(runID: runID, status: "NEW", at: 1_000)),
            .saveExitState(StoreFixtures.exitState(runID: runID, key: "ATOMUSDT#1", json: "{\"phase\":1}", lastEvent: nil, at: 1_000)),
            .order(StoreFixtures.stopOrder(runID: runID, status: "NEW", at: 1_500)),
            .order(StoreFixtures.entryOrder(runID: runID, status: "FILLED", detail: "12.5 @ 13.456", at: 2_000)),
            .saveExitState(StoreFixtures.exitState(runID: runID, key: "ATOMUSDT#1", json: "{\"phase\":2}", lastEvent: 2_000, at: 2_000)),
            .saveExitState(StoreFixtures.exitState(runID: runID, key: "ATOMUSDT#2", json: "{\"phase\":1}", lastEvent: 2_100, at: 2_100)),
            .riskEvent(StoreFixtures.riskEvent(runID: runID, state: "reduced")),
            .deleteExitState(positionKey: "ATOMUSDT#1"),
        ]
        recording.fills = [StoreFixtures.fill(runID: runID, quantity: "5", at: 2_000), StoreFixtures.fill(runID: runID, quantity: "7.5", at: 2_100)]
        recording.trades = [StoreFixtures.losingShort(runID: runID)]
        recording.alerts = [StoreFixtures.alert(runID: runID, kind: "stop_not_honoured", symbol: "ATOMUSDT"),
                            StoreFixtures.alert(runID: runID, kind: "feed_gap", symbol: nil)]
        recording.equity = (0..<5).map { StoreFixtures.equity(runID: runID, at: 3_000 + Int64($0) * 60_000, equity: "99\($0).5", drawdown: "-\($0)") }
        return recording
    }

    /// The same run written the old way: begin, one call per record in the recording's order, finish.
    static func recordOneByOne(_ recording: RunRecording, in store: any TradeStore) throws -> Int64 {
        let id = try store.beginRun(recording.run)
        for var decision in recording.decisions { decision.runID = id; try store.recordDecision(decision) }
        for operation in recording.operations {
            switch operation {
            case .order(var event): event.runID = id; try store.recordOrder(event)
            case .saveExitState(var state): state.runID = id; try store.saveExitState(state)
            case .deleteExitState(let key): try store.deleteExitState(runID: id, positionKey: key)
            case .riskEvent(var event): event.runID = id; try store.recordRiskEvent(event)
            }
        }
        for var fill in recording.fills { fill.runID = id; try store.recordFill(fill) }
        for var trade in recording.trades { trade.runID = id; try store.recordTrade(trade) }
        for var alert in recording.alerts { alert.runID = id; try store.recordAlert(alert) }
        for var snapshot in recording.equity { snapshot.runID = id; try store.recordEquity(snapshot) }
        try store.finishRun(id: id, finishedAt: recording.finishedAt, summaryJSON: recording.summaryJSON)
        return id
    }

    static let tables = ["runs", "decisions", "orders", "order_events", "exit_states", "risk_events", "fills", "trades",
                         "alerts", "equity_snapshots"]

    /// Everything a reader of the run sees, and the row count of every table.
    struct Contents: Equatable {
        var runs: [RunRecord]
        var decisions: [DecisionRecord]
        var entryHistory: [OrderEventRecord]
        var stopHistory: [OrderEventRecord]
        var exitStates: [ExitStateRecord]
        var riskEvents: [RiskEventRecord]
        var fills: [FillRecord]
        var trades: [TradeRecord]
        var alerts: [AlertRecord]
        var equity: [EquitySnapshotRecord]
        var rowCounts: [Int]

        init(_ harness: StoreHarness, runID: Int64) throws {
            let store = harness.store
            runs = try store.runs()
            decisions = try store.decisions(runID: runID)
            entryHistory = try store.orderHistory(StoreFixtures.entryID)
            stopHistory = try store.orderHistory(StoreFixtures.stopID)
            exitStates = try store.exitStates(runID: runID)
            riskEvents = try store.riskEvents(runID: runID)
            fills = try store.fills(runID: runID)
            trades = try store.trades(runID: runID)
            alerts = try store.alerts(runID: runID)
            equity = try store.equity(runID: runID)
            rowCounts = try RunRecordingContractTests.tables.map { try harness.rowCount($0) }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aRunRecordedWholeHoldsTheRowsOfOneCallPerRecord(_ subject: StoreUnderTest) throws {
        let whole = try subject.make()
        defer { whole.cleanup() }
        let oneByOne = try subject.make()
        defer { oneByOne.cleanup() }
        let wholeID = try whole.store.recordRun(Self.recording())
        let oneByOneID = try Self.recordOneByOne(Self.recording(), in: oneByOne.store)
        #expect(wholeID == 1 && oneByOneID == 1)
        let contents = try Contents(whole, runID: wholeID)
        #expect(contents == (try Contents(oneByOne, runID: oneByOneID)))
        // Spot checks that the comparison saw real rows: the finished run, the order's latest state, the kept exit state.
        #expect(contents.runs.map(\.finishedAt) == [Timestamp(milliseconds: 1_675_300_000_000)])
        #expect(contents.entryHistory.map(\.status) == ["NEW", "FILLED"])
        #expect(contents.exitStates.map(\.positionKey) == ["ATOMUSDT#2"])
        #expect(contents.rowCounts == [1, 2, 2, 3, 1, 1, 2, 1, 2, 5])
        #expect(contents.decisions.allSatisfy { $0.runID == wholeID })
    }

    /// SQLite's batch binds values in place and writes each order's row once: every table must
    /// still hold, row for row and value for value (storage class included), what one call per
    /// record writes.
    @Test func aRunRecordedWholeInSQLiteIsRowForRowTheOneByOneStore() throws {
        let whole = try StoreUnderTest.sqlite.make()
        defer { whole.cleanup() }
        let oneByOne = try StoreUnderTest.sqlite.make()
        defer { oneByOne.cleanup() }
        _ = try whole.store.recordRun(Self.recording())
        _ = try Self.recordOneByOne(Self.recording(), in: oneByOne.store)
        for table in Self.tables {
            let rows = try Self.rawRows(whole, table)
            #expect(!rows.isEmpty, "\(table) has rows")
            #expect(rows == (try Self.rawRows(oneByOne, table)), "\(table)")
        }
    }

    /// A run larger than SQLite's multi-row statements (several full batches and a remainder in
    /// every table; order events interleaved with exit-state and risk operations): still the rows
    /// of one call per record, in the same order, with the same ids.
    static func longRecording() -> RunRecording {
        var recording = recording()
        let base = recording
        for copy in 1...157 {
            let offset = Int64(copy) * 10_000
            recording.decisions += base.decisions.map { var decision = $0; decision.time.milliseconds += offset; return decision }
            recording.operations += base.operations.map { operation in
                switch operation {
                case .order(var event):
                    event.clientOrderID = ClientOrderID(event.clientOrderID.value + "-\(copy)")!
                    event.time.milliseconds += offset
                    return .order(event)
                case .saveExitState(var state):
                    state.positionKey += "-\(copy)"
                    return .saveExitState(state)
                case .deleteExitState(let key):
                    return .deleteExitState(positionKey: key + "-\(copy)")
                case .riskEvent(let event):
                    return .riskEvent(event)
                }
            }
            recording.fills += base.fills.map { var fill = $0; fill.fill.time.milliseconds += offset; return fill }
            recording.trades += base.trades
            recording.alerts += base.alerts
            recording.equity += base.equity.map { var sample = $0; sample.time.milliseconds += offset; return sample }
        }
        return recording
    }

    @Test func aLongRunRecordedWholeInSQLiteIsRowForRowTheOneByOneStore() throws {
        let whole = try StoreUnderTest.sqlite.make()
        defer { whole.cleanup() }
        let oneByOne = try StoreUnderTest.sqlite.make()
        defer { oneByOne.cleanup() }
        _ = try whole.store.recordRun(Self.longRecording())
        _ = try Self.recordOneByOne(Self.longRecording(), in: oneByOne.store)
        for table in Self.tables {
            let rows = try Self.rawRows(whole, table)
            #expect(rows.count > (table == "runs" ? 0 : 150), "\(table) has rows")
            #expect(rows == (try Self.rawRows(oneByOne, table)), "\(table)")
        }
    }

    /// PostgreSQL's batch writes many rows per `INSERT` (here 64, so every table crosses several
    /// statement boundaries), each order's row once and the exit states as the operations leave
    /// them: every table must still hold, row for row and value for value (ids included), what
    /// one call per record writes.
    @Test func aLongRunRecordedWholeInPostgreSQLIsRowForRowTheOneByOneStore() throws {
        let whole = try PostgresFixture.makeStore(bot: "contract", recordingRowsPerStatement: 64)
        defer { PostgresFixture.drop(whole) }
        let oneByOne = try PostgresFixture.makeStore(bot: "contract")
        defer { PostgresFixture.drop(oneByOne) }
        _ = try whole.recordRun(Self.longRecording())
        _ = try Self.recordOneByOne(Self.longRecording(), in: oneByOne)
        for table in Self.tables {
            let rows = try Self.rawRows(whole, table)
            #expect(rows.count > (table == "runs" ? 0 : 150), "\(table) has rows")
            #expect(rows == (try Self.rawRows(oneByOne, table)), "\(table)")
        }
    }

    /// Every row of `table` (every column, ids included), in id order (by key for the tables
    /// without ids), as JSON text.
    static func rawRows(_ store: PostgresTradeStore, _ table: String) throws -> [String] {
        let order = table == "orders" ? "client_order_id COLLATE \"C\"" : table == "exit_states" ? "position_key COLLATE \"C\"" : "id"
        let rows = try store.statement(PostgresQuery(unsafeSQL: "SELECT to_jsonb(t)::text AS r FROM \(table) t ORDER BY \(order)"))
        return try rows.map { try $0.makeRandomAccess()["r"].decode(String.self, context: .default) }
    }

    /// Every row of `table` in insertion order, each value with its storage class.
    static func rawRows(_ harness: StoreHarness, _ table: String) throws -> [[String]] {
        let store = try #require(harness.store as? SQLiteTradeStore)
        return try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { row in
                row.databaseValues.map { String(reflecting: $0.storage) }
            }
        }
    }

    /// A fault on any table the run writes, the last rows included, leaves no run and no rows,
    /// and an earlier run untouched; with the fault gone the same recording goes in whole.
    @Test(arguments: StoreUnderTest.all, ["decisions", "order_events", "exit_states", "risk_events", "fills", "trades", "alerts",
                                         "equity_snapshots"])
    func aRecordingThatFailsPartWayLeavesNoRun(_ subject: StoreUnderTest, failingTable: String) throws {
        let harness = try subject.make()
        defer { harness.cleanup() }
        let earlier = try harness.store.recordRun(Self.recording())
        let before = try Contents(harness, runID: earlier)
        try harness.injectFailure(failingTable)
        #expect(throws: TradeStoreError.self) { _ = try harness.store.recordRun(Self.recording()) }
        try harness.injectFailure(nil)
        #expect(try Contents(harness, runID: earlier) == before)
        #expect(try harness.store.runs().count == 1)
        let next = try harness.store.recordRun(Self.recording())
        // A later id (not necessarily earlier + 1: a PostgreSQL sequence does not roll back).
        #expect(next > earlier)
        #expect(try harness.store.runs().map(\.finishedAt) == [Timestamp(milliseconds: 1_675_300_000_000), Timestamp(milliseconds: 1_675_300_000_000)])
    }
}
