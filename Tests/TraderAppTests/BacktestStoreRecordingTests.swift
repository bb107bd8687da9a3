import Foundation
import GRDB
import Storage
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// What a backtest leaves in the SQLite store, row for row: the rows of every table a run writes
/// (in rowid order, every column) must match those the row-by-row recorder wrote before recording
/// was batched (one transaction per record). The expected counts and digests were taken from that
/// recorder on the same data (the trades' digests again after schema v5 added the exit details, the
/// decisions' after v6 added each approved signal's reference price,
/// checked equal to the row-by-row recorder's rows with `sqlite3` on both stores); the validated run holds decisions with reasons, risk events, alerts
/// and exit states saved and deleted (none left open at the end).
@Suite(.ownThread) struct BacktestStoreRecordingTests {
    static let root = BacktestConfigTests.root
    static let link = root + "/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"
    /// Every table a backtest run writes to.
    static let tables = ["runs", "decisions", "orders", "order_events", "exit_states", "risk_events", "fills", "trades",
                         "alerts", "equity_snapshots"]

    /// Row count and FNV-1a digest of one table's rows.
    struct TableDigest: Equatable, CustomStringConvertible {
        var rows: Int
        var digest: UInt64
        var description: String { "(\(rows), 0x\(String(digest, radix: 16)))" }
    }

    /// Every column of every row, in rowid order, rendered as text (the repo root replaced, so
    /// the run's detail does not depend on where the checkout lives), digested per table.
    static func digests(ofStoreAt path: String) throws -> [String: TableDigest] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var result: [String: TableDigest] = [:]
            for table in tables {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                var count = 0
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY rowid")
                while let row = try rows.next() {
                    count += 1
                    var line = ""
                    for (column, value) in row {
                        line += column + "=" + value.description.replacingOccurrences(of: root, with: "<root>") + "\u{1f}"
                    }
                    for byte in (line + "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                }
                result[table] = TableDigest(rows: count, digest: hash)
            }
            return result
        }
    }

    static func recordedRun(config file: String) throws -> [String: TableDigest] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/store.sqlite"
        let store = try SQLiteTradeStore(path: path, durability: .relaxed)
        let config = try AppConfig.load(path: root + "/examples/" + file)
        _ = try BacktestRunner.run(config: config, dataFiles: [link], outputDirectory: directory + "/run", store: store)
        return try digests(ofStoreAt: path)
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "qt-store-recording-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // The orders and order_events digests changed once on purpose: the backtest records order
    // states in the live runtime's words (`OrderRecordStatus`: SUBMITTED, ACCEPTED, …), not in
    // lower case; every other table is as before.
    @Test func theValidatedExitEngineRunIsRecordedRowForRowAsBefore() throws {
        let recorded = try Self.recordedRun(config: "ema-cross-validated.toml")
        let expected: [String: TableDigest] = [
            "runs": .init(rows: 1, digest: 0xf0d466db432dff8), "decisions": .init(rows: 1451, digest: 0x5f38a822448a1e52),
            "orders": .init(rows: 2032, digest: 0x94bb34c52d6c41db), "order_events": .init(rows: 6808, digest: 0x249ff89ec0e36869),
            "exit_states": .init(rows: 0, digest: 0xcbf29ce484222325), "risk_events": .init(rows: 22, digest: 0xbfcef3aff3137487),
            "fills": .init(rows: 1320, digest: 0x9cc565ee65ef3a76), "trades": .init(rows: 608, digest: 0xba4cfe58fb714905),
            "alerts": .init(rows: 11, digest: 0x447768c7b1883dca), "equity_snapshots": .init(rows: 1276, digest: 0x70befef5c8f6eebc),
        ]
        #expect(recorded == expected)
    }

    @Test func theReferenceBracketRunIsRecordedRowForRowAsBefore() throws {
        let recorded = try Self.recordedRun(config: "ema-cross.toml")
        let expected: [String: TableDigest] = [
            "runs": .init(rows: 1, digest: 0x247e84fe0b58bd29), "decisions": .init(rows: 1451, digest: 0x13f6ca1a30b195b0),
            "orders": .init(rows: 2902, digest: 0xea89b836ecde959f), "order_events": .init(rows: 8706, digest: 0x2a8159728c4f9d0a),
            "exit_states": .init(rows: 0, digest: 0xcbf29ce484222325), "risk_events": .init(rows: 0, digest: 0xcbf29ce484222325),
            "fills": .init(rows: 2902, digest: 0x8e355d3f28d8794d), "trades": .init(rows: 1451, digest: 0x2b7407ceb7870e79),
            "alerts": .init(rows: 0, digest: 0xcbf29ce484222325), "equity_snapshots": .init(rows: 2109, digest: 0x928539763225ea34),
        ]
        #expect(recorded == expected)
    }

    /// The store gives out part-way through the run (a trigger in the file aborts the 201st
    /// equity sample, after the decisions, orders, fills, trades and alerts went in): the
    /// backtest fails and the store keeps no part of the run, not even an unfinished run row.
    /// With the fault gone, the same backtest records whole.
    @Test func aStoreThatFailsPartWayThroughTheRunKeepsNoPartOfIt() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/store.sqlite"
        let store = try SQLiteTradeStore(path: path, durability: .relaxed)
        let saboteur = try DatabaseQueue(path: path)
        try saboteur.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_part_way BEFORE INSERT ON equity_snapshots
                WHEN (SELECT COUNT(*) FROM equity_snapshots) >= 200
                BEGIN SELECT RAISE(ABORT, 'disk gave out'); END
                """)
        }
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross-validated.toml")
        #expect(throws: (any Error).self) {
            _ = try BacktestRunner.run(config: config, dataFiles: [Self.link], outputDirectory: directory + "/failed", store: store)
        }
        let afterFailure = try Self.digests(ofStoreAt: path)
        for table in Self.tables { #expect(afterFailure[table]?.rows == 0, "\(table) holds part of the failed run") }

        try saboteur.write { db in try db.execute(sql: "DROP TRIGGER fail_part_way") }
        try saboteur.close()
        _ = try BacktestRunner.run(config: config, dataFiles: [Self.link], outputDirectory: directory + "/whole", store: store)
        let runs = try store.runs()
        #expect(runs.count == 1 && runs.first?.finishedAt != nil)
        #expect(try store.equity(runID: 1).count > 200)
    }
}
