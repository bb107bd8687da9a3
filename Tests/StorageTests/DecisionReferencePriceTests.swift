import Foundation
import GRDB
import Testing
import TradingEngine
import TradingModel
@testable import Storage

/// The price an approved signal was judged at (schema v6) survives the store; decisions recorded
/// before v6 read back without one (unknown, never zero).
@Suite struct DecisionReferencePriceTests {
    @Test(arguments: StoreUnderTest.all)
    func referencePriceRoundTrips(_ subject: StoreUnderTest) throws {
        let harness = try subject.make()
        defer { harness.cleanup() }
        let store = harness.store
        let run = try store.beginRun(StoreFixtures.run())
        var approved = StoreFixtures.approvedDecision(runID: run)
        approved.referencePrice = Price("13.482")!
        let rejected = StoreFixtures.rejectedDecision(runID: run)
        try store.recordDecision(approved)
        try store.recordDecision(rejected)
        let back = try store.decisions(runID: run)
        #expect(back == [approved, rejected])
        #expect(back.first?.referencePrice == Price("13.482")! && back.last?.referencePrice == nil)
    }

    static func versionFiveFile(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try StorageSchema.migrator.migrate(queue, upTo: "v5")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO runs (kind, started_at_ms, config_hash, detail) VALUES ('paper', 1, 'h', 'v5 run')")
            try db.execute(sql: """
                INSERT INTO decisions (run_id, symbol, side, confidence, signal_time_ms, source, approved, reasons_json, quantity_raw, leverage, time_ms)
                VALUES (1, 'ATOMUSDT', 'SHORT', 0.8, 1, 'test', 1, '[]', 100, 2, 1)
                """)
        }
    }

    @Test func aVersionFiveStoreGainsTheColumnAndItsDecisionsHaveNoReference() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v5.sqlite"
        try Self.versionFiveFile(path)
        let store = try SQLiteTradeStore(path: path)
        #expect(try store.appliedMigrations().last == "v6")
        let decision = try #require(try store.decisions(runID: 1).first)
        #expect(decision.approved && decision.referencePrice == nil)
    }

    @Test func aVersionFiveStoreReadOnlyIsReadAsItIs() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v5.sqlite"
        try Self.versionFiveFile(path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try SQLiteTradeStore(readOnlyPath: path)
        #expect(try store.decisions(runID: 1).first?.referencePrice == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
