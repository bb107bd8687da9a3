import Foundation
import GRDB
import Testing
import TradingEngine
import TradingModel
@testable import Storage

/// A closed trade's exit details (planned stop, best price, targets hit) survive the store, and
/// trades recorded before they were kept read back as unknown, never as zero.
@Suite struct TradeExitDetailsTests {
    @Test(arguments: StoreUnderTest.all)
    func detailsRoundTrip(_ subject: StoreUnderTest) throws {
        let harness = try subject.make()
        defer { harness.cleanup() }
        let store = harness.store
        let run = try store.beginRun(StoreFixtures.run())
        var detailed = StoreFixtures.losingShort(runID: run)
        detailed.plannedStop = Price("13.725")!
        detailed.bestPrice = Price("13.3")!
        detailed.targetsHit = [1, 2]
        var none = StoreFixtures.losingShort(runID: run)
        none.targetsHit = []
        let unknown = StoreFixtures.losingShort(runID: run)
        try store.recordTrade(detailed)
        try store.recordTrade(none)
        try store.recordTrade(unknown)
        #expect(try store.trades(runID: run) == [detailed, none, unknown])
    }

    /// A v3 file gains the columns on open; its trades read back with unknown details.
    @Test func versionThreeTradesReadBackAsUnknown() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v3.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StorageSchema.migrator.migrate(queue, upTo: "v3")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs (kind, started_at_ms, config_hash, detail) VALUES ('paper', 1, 'h', 'v3 run')")
                try db.execute(sql: """
                    INSERT INTO trades (run_id, symbol, side, quantity_raw, entry_time_ms, entry_price_raw, exit_time_ms, exit_price_raw,
                        exit_reason, fees_raw, funding_raw, net_pnl_raw, leverage) VALUES (1, 'ATOMUSDT', 'SHORT', 100, 1, 200, 2, 210, 'stop_loss', 1, 0, -11, 2)
                    """)
            }
        }
        let store = try SQLiteTradeStore(path: path)
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        let trade = try #require(try store.trades(runID: 1).first)
        #expect(trade.plannedStop == nil && trade.bestPrice == nil && trade.targetsHit == nil)
    }

    /// A reading command opens an older store read-only (no migration): its trades read back with
    /// the details unknown, and the file is left as it was.
    @Test func aVersionFourStoreReadOnlyHasUnknownDetails() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v4.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StorageSchema.migrator.migrate(queue, upTo: "v4")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO runs (kind, started_at_ms, config_hash, detail) VALUES ('paper', 1, 'h', 'v4 run')")
                try db.execute(sql: """
                    INSERT INTO trades (run_id, symbol, side, quantity_raw, entry_time_ms, entry_price_raw, exit_time_ms, exit_price_raw,
                        exit_reason, fees_raw, funding_raw, net_pnl_raw, leverage) VALUES (1, 'ATOMUSDT', 'SHORT', 100, 1, 200, 2, 210, 'stop_loss', 1, 0, -11, 2)
                    """)
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try SQLiteTradeStore(readOnlyPath: path)
        let trade = try #require(try store.trades(runID: 1).first)
        #expect(trade.plannedStop == nil && trade.bestPrice == nil && trade.targetsHit == nil && trade.netPnL == Money(raw: -11))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aDamagedTargetsColumnIsACorruptRecord() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        let run = try store.beginRun(StoreFixtures.run())
        try store.recordTrade(StoreFixtures.losingShort(runID: run))
        try store.database.write { try $0.execute(sql: "UPDATE trades SET targets_hit = '1,7'") }
        #expect(throws: TradeStoreError.corruptRecord(table: "trades", column: "targets_hit", value: "1,7")) { try store.trades(runID: run) }
    }
}
