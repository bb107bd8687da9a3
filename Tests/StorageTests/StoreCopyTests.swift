import Foundation
import Testing
import TradingEngine
import TradingModel
@testable import Storage

/// `qt store copy`: a SQLite store moved into PostgreSQL reads back the same through the port,
/// with run ids remapped, all or nothing, and never twice into one bot.
@Suite struct StoreCopyTests {
    /// A SQLite store with a row in every table; returns the store and its two run ids.
    private func filledSQLiteStore(in directory: TemporaryDirectory) throws -> (SQLiteTradeStore, [Int64]) {
        let store = try SQLiteTradeStore(path: directory.path + "/source.sqlite")
        let backtest = try store.beginRun(StoreFixtures.run(.backtest))
        let live = try store.beginRun(StoreFixtures.run(.live, at: 1_700_000_000_000))
        try store.finishRun(id: backtest, finishedAt: Timestamp(milliseconds: 1_675_300_000_000), summaryJSON: "{\"trades\":1}")
        try store.recordOrder(StoreFixtures.entryOrder(runID: live, status: "NEW", at: 1_000))
        try store.recordOrder(StoreFixtures.entryOrder(runID: live, status: "FILLED", detail: "filled 12.5", at: 2_000))
        try store.recordOrder(StoreFixtures.stopOrder(runID: live, status: "NEW", at: 2_100))
        try store.recordFill(StoreFixtures.fill(runID: live, quantity: "12.5", at: 2_000))
        try store.recordTrade(StoreFixtures.losingShort(runID: backtest))
        try store.saveExitState(StoreFixtures.exitState(runID: live, key: "ATOMUSDT#1", json: "{\"stop\":\"13.725\"}", lastEvent: 2_050, at: 2_060))
        try store.recordDecision(StoreFixtures.rejectedDecision(runID: live))
        try store.recordDecision(StoreFixtures.approvedDecision(runID: live))
        try store.recordAlert(StoreFixtures.alert(runID: live, kind: "stop_not_honoured", symbol: "ATOMUSDT"))
        try store.recordAlert(StoreFixtures.alert(runID: nil, kind: "startup", symbol: nil))
        try store.recordEquity(StoreFixtures.equity(runID: backtest, at: 1_000, equity: "996.47443875", drawdown: "-3.52556125"))
        try store.recordRiskEvent(StoreFixtures.riskEvent(runID: live, state: "halted"))
        let close = try store.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: Timestamp(milliseconds: 3_000)))
        try store.resolveCloseRequest(id: close, state: .done, detail: "closed 12.5", runID: live, time: Timestamp(milliseconds: 3_500))
        _ = try store.recordCloseRequest(CloseRequestRecord(symbol: nil, requestedAt: Timestamp(milliseconds: 4_000)))
        let message = try store.recordNotification(NotificationRecord(runID: live, channel: "telegram", category: .alert, rule: "stop_not_triggered",
                                                                      severity: .critical, symbol: "ATOMUSDT", text: "stop should have triggered",
                                                                      createdAt: Timestamp(milliseconds: 2_500)))
        try store.updateNotification(id: message, state: .sent, attempts: 2, detail: "message 42", time: Timestamp(milliseconds: 2_600))
        _ = try store.recordCommand(CommandRecord(runID: live, channel: "telegram", updateID: 901, chatID: -100_123, sender: "@trader (user 42)",
                                                  text: "/close ATOMUSDT", authorized: true, outcome: "confirmation code sent",
                                                  time: Timestamp(milliseconds: 6_000)))
        return (store, [backtest, live])
    }

    @Test func everyRecordReadsBackTheSameWithRunIdsRemapped() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (source, sourceRuns) = try filledSQLiteStore(in: directory)
        let schema = PostgresFixture.newSchemaName()
        // Another bot already uses ids 1 and 2 on the server: the copied runs get new ids.
        let other = try PostgresFixture.makeStore(bot: "other", schema: schema)
        defer { PostgresFixture.drop(other) }
        _ = try other.beginRun(StoreFixtures.run())
        _ = try other.beginRun(StoreFixtures.run())
        let target = try PostgresFixture.makeStore(bot: "copied", schema: schema)

        let report = try StoreCopy.copy(from: source, to: target)
        #expect(report.rows.map(\.count) == [2, 2, 3, 1, 1, 1, 2, 2, 1, 1, 2, 1, 1])

        let targetRuns = try target.runs().compactMap(\.id)
        #expect(targetRuns.count == 2 && targetRuns.allSatisfy { $0 > 2 })
        let map = Dictionary(uniqueKeysWithValues: zip(sourceRuns, targetRuns))
        func remapped<T>(_ records: [T], _ runID: WritableKeyPath<T, Int64>) -> [T] {
            records.map { var copy = $0; copy[keyPath: runID] = map[copy[keyPath: runID]]!; return copy }
        }
        func remapped<T>(_ records: [T], _ runID: WritableKeyPath<T, Int64?>) -> [T] {
            records.map { var copy = $0; copy[keyPath: runID] = copy[keyPath: runID].map { map[$0]! }; return copy }
        }
        #expect(try target.runs().map { var run = $0; run.id = nil; return run } == source.runs().map { var run = $0; run.id = nil; return run })
        for (old, new) in map {
            #expect(try target.fills(runID: new) == remapped(try source.fills(runID: old), \.runID))
            #expect(try target.trades(runID: new) == remapped(try source.trades(runID: old), \.runID))
            #expect(try target.exitStates(runID: new) == remapped(try source.exitStates(runID: old), \.runID))
            #expect(try target.decisions(runID: new) == remapped(try source.decisions(runID: old), \.runID))
            #expect(try target.equity(runID: new) == remapped(try source.equity(runID: old), \.runID))
        }
        for id in [StoreFixtures.entryID, StoreFixtures.stopID] {
            #expect(try target.orderHistory(id) == remapped(try source.orderHistory(id), \.runID))
        }
        #expect(try target.alerts(runID: nil) == remapped(try source.alerts(runID: nil), \.runID))
        #expect(try target.riskEvents(runID: nil) == remapped(try source.riskEvents(runID: nil), \.runID))
        #expect(try target.pendingCloseRequests().map(\.symbol) == [nil])
        let closed = try target.closeRequest(id: try target.pendingCloseRequests()[0].id! - 1)
        #expect(closed?.state == .done && closed?.resolvedByRunID == map[sourceRuns[1]])
        #expect(try target.notifications(runID: nil, limit: 10).map { var n = $0; n.id = nil; return n }
                == remapped(try source.notifications(runID: nil, limit: 10), \.runID).map { var n = $0; n.id = nil; return n })
        #expect(try target.commands(limit: 10).map { var c = $0; c.id = nil; return c }
                == remapped(try source.commands(limit: 10), \.runID).map { var c = $0; c.id = nil; return c })
        #expect(try other.runs().count == 2)

        // A second copy into the same bot would duplicate every run: refused, nothing added.
        #expect(throws: TradeStoreError.self) { _ = try StoreCopy.copy(from: source, to: target) }
        #expect(try target.runs().count == 2)
    }

    @Test func aCopyFailingHalfWayLeavesTheTargetEmpty() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (source, _) = try filledSQLiteStore(in: directory)
        let target = try PostgresFixture.makeStore(bot: "copied")
        defer { PostgresFixture.drop(target) }
        try PostgresFaults.inject(into: target, table: "commands")
        #expect(throws: TradeStoreError.self) { _ = try StoreCopy.copy(from: source, to: target) }
        try PostgresFaults.inject(into: target, table: nil)
        for table in StoreCopy.tables.map(\.name) {
            #expect(try PostgresFixture.count(table, in: target) == 0, "\(table)")
        }
        #expect(try StoreCopy.copy(from: source, to: target).rows.count == StoreCopy.tables.count)
    }
}
