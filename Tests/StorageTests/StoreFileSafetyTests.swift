import Foundation
import GRDB
import Testing
import TradingEngine
import TradingModel
@testable import Storage

/// Opening a store never changes a file that is not one, reading never writes, a new store
/// appears complete or not at all, and stored values that would trap are corrupt records.
@Suite struct StoreFileSafetyTests {
    private func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    private func foreignDatabase(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')")
        }
        try queue.close()
    }

    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            Issue.record("expected an error")
        } catch {
            return "\(error)"
        }
        return nil
    }

    // MARK: Files that are not qt stores stay untouched

    @Test func anEmptyFileIsRefusedByEveryOpenAndStaysEmpty() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(message { _ = try SQLiteTradeStore(readOnlyPath: path) } == "database error: \(path): is an empty file, not a qt store")
        #expect(message { _ = try SQLiteTradeStore(path: path) } == "database error: \(path): is an empty file, not a qt store")
        #expect(bytes(path) == Data())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["empty.sqlite"])
    }

    @Test func anotherProgramsDatabaseIsRefusedAndStaysByteIdentical() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/other.sqlite"
        try foreignDatabase(path)
        let before = try #require(bytes(path))
        for open in [{ _ = try SQLiteTradeStore(readOnlyPath: path) }, { _ = try SQLiteTradeStore(path: path) }] as [() throws -> Void] {
            let text = try #require(message(open))
            #expect(text.contains("is not a qt store (an SQLite database with tables users and no qt schema)"))
        }
        #expect(bytes(path) == before)
        let journal = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "delete")
    }

    @Test func aFileThatIsNotSQLiteOrADirectoryIsRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let text = directory.path + "/notes.txt"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect(message { _ = try SQLiteTradeStore(path: text) } == "database error: \(text): is not an SQLite database, so not a qt store")
        #expect(bytes(text) == Data("hello\n".utf8))
        #expect(message { _ = try SQLiteTradeStore(readOnlyPath: directory.path) }
                == "database error: \(directory.path): is a directory, not a qt store")
    }

    @Test func aDamagedMigrationRecordIsOneLine() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/qt.sqlite"
        let store = try SQLiteTradeStore(path: path)
        try store.database.write { try $0.execute(sql: "DELETE FROM grdb_migrations; INSERT INTO grdb_migrations VALUES ('garbage')") }
        let text = try #require(message { _ = try SQLiteTradeStore(path: path) })
        #expect(text == "database error: \(path): has a damaged or foreign migration record (grdb_migrations lists garbage; "
                + "this build knows v1, v2, v3, v4, v5, v6); not opened as a qt store")
        #expect(!text.contains("\n"))
    }

    @Test func sqliteErrorsNameTheFileOnOneLine() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/broken.sqlite"
        // A valid header followed by garbage: SQLite's own error, named by file, on one line.
        try (Data(StoreFile.sqliteHeader) + Data(repeating: 0xAB, count: 4096)).write(to: URL(fileURLWithPath: path))
        let text = try #require(message { _ = try SQLiteTradeStore(readOnlyPath: path) })
        #expect(text.hasPrefix("database error: \(path): SQLite error"))
        #expect(!text.contains("\n"))
    }

    // MARK: Reading never writes

    @Test func aReadOnlyStoreReadsAndRefusesWritesWithoutChangingTheFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/qt.sqlite"
        do {
            let store = try SQLiteTradeStore(path: path)
            _ = try store.beginRun(StoreFixtures.run())
        }
        let before = try #require(bytes(path))
        let reader = try SQLiteTradeStore(readOnlyPath: path)
        #expect(reader.isReadOnly)
        #expect(try reader.runs().count == 1)
        #expect(throws: TradeStoreError.self) { _ = try reader.beginRun(StoreFixtures.run()) }
        #expect(bytes(path) == before)
        #expect(message { _ = try SQLiteTradeStore(readOnlyPath: directory.path + "/missing.sqlite") }?
                    .contains("no such qt store") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/missing.sqlite"))
    }

    /// A store written by a v2 build is read as it is: no migration on a read-only open.
    @Test func anOlderStoreIsReadWithoutMigrating() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v2.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StorageSchema.migrator.migrate(queue, upTo: "v2")
        try queue.write { try $0.execute(sql: "INSERT INTO runs (kind, started_at_ms, config_hash, detail) VALUES ('live', 1, 'h', 'old')") }
        try queue.close()
        let before = try #require(bytes(path))
        let reader = try SQLiteTradeStore(readOnlyPath: path)
        #expect(try reader.runs().map(\.detail) == ["old"])
        #expect(try reader.appliedMigrations() == ["v1", "v2"])
        #expect(bytes(path) == before)
    }

    // MARK: Creation is all or nothing

    @Test func aNewStoreAppearsCompleteAndLeavesNoTemporaryFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/new/qt.sqlite"
        let store = try SQLiteTradeStore(path: path)
        #expect(try store.appliedMigrations() == StorageSchema.versions)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/new")
        #expect(!names.contains { $0.contains("creating") })
        // A temporary file left by a crash during creation is not a store and is not read.
        let leftover = directory.path + "/new/.qt2.sqlite.creating-1"
        _ = FileManager.default.createFile(atPath: leftover, contents: Data("partial".utf8))
        _ = try SQLiteTradeStore(path: directory.path + "/new/qt2.sqlite")
        #expect(bytes(leftover) == Data("partial".utf8))
    }

    /// A database whose creation never committed (no table yet) is completed on open.
    @Test func anEmptyDatabaseIsCompletedByAReadWriteOpenAndRefusedForReading() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/half.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.close()
        #expect(message { _ = try SQLiteTradeStore(readOnlyPath: path) }?.contains("no such qt store") == true)
        #expect(try SQLiteTradeStore(path: path).appliedMigrations() == StorageSchema.versions)
    }

    // MARK: Stored values that would trap

    /// `qt status` once trapped formatting a stored time near `Int64.min`.
    @Test(arguments: [
        ("runs", "UPDATE runs SET started_at_ms = -9223372036854775808", "started_at_ms"),
        ("risk_events", "UPDATE risk_events SET time_ms = -9223372036854775808", "time_ms"),
        ("alerts", "UPDATE alerts SET time_ms = 9223372036854775807", "time_ms"),
        ("exit_states", "UPDATE exit_states SET updated_at_ms = -9223372036854775808", "updated_at_ms"),
    ])
    func storedTimesOutOfRangeAreCorruptRecords(table: String, sql: String, column: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        let run = try store.beginRun(StoreFixtures.run())
        try store.recordRiskEvent(RiskEventRecord(runID: run, state: "halted", cause: "daily_loss_limit", detail: "d", time: Timestamp(milliseconds: 1)))
        try store.recordAlert(AlertRecord(runID: run, alert: Alert(severity: .critical, kind: "k", message: "m", symbol: nil, time: Timestamp(milliseconds: 1))))
        try store.saveExitState(StoreFixtures.exitState(runID: run, key: "ATOMUSDT#1", json: "{}", lastEvent: 5, at: 6))
        try store.database.write { try $0.execute(sql: sql) }
        let text = try #require(message {
            switch table {
            case "runs": _ = try store.runs()
            case "risk_events": _ = try store.riskEvents(runID: nil)
            case "alerts": _ = try store.alerts(runID: nil)
            default: _ = try store.exitStates(runID: run)
            }
        })
        #expect(text.hasPrefix("corrupt record: \(table).\(column) = '"))
        #expect(text.hasSuffix("(time out of range)'"))
    }

    // MARK: Manual risk records (schema v4)

    @Test func accountLevelRiskRecordsMustBeAKnownManualHaltOrResume() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTradeStore(path: directory.path + "/qt.sqlite")
        try store.recordRiskEvent(RiskEventRecord(runID: nil, state: "halted", cause: "manual", detail: "by ada: test", time: Timestamp(milliseconds: 1)))
        for (state, cause) in [("HALTED", "manual"), ("halted", "Manual"), ("", "manual"), ("paused", "manual")] {
            #expect(throws: TradeStoreError.self) {
                try store.recordRiskEvent(RiskEventRecord(runID: nil, state: state, cause: cause, detail: "", time: Timestamp(milliseconds: 2)))
            }
        }
        #expect(try store.riskEvents(runID: nil).count == 1)
    }

    @Test func aVersionTwoStoreWithAnUnknownManualRecordIsNotMigratedButStillReadable() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/v2.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StorageSchema.migrator.migrate(queue, upTo: "v2")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO risk_events (run_id, state, cause, detail, time_ms) VALUES (NULL, 'halted', 'manual', 'by ada', 1)")
            try db.execute(sql: "INSERT INTO risk_events (run_id, state, cause, detail, time_ms) VALUES (NULL, 'resume', 'manual', 'typo', 2)")
        }
        try queue.close()
        let before = try #require(bytes(path))
        let text = try #require(message { _ = try SQLiteTradeStore(path: path) })
        #expect(text.contains("cannot upgrade to schema v4: risk_events has account-level records that are not a known manual halt or resume: "
                              + "id 2 (state 'resume', cause 'manual')"))
        #expect(bytes(path) == before)
        #expect(try SQLiteTradeStore(readOnlyPath: path).riskEvents(runID: nil).map(\.state) == ["halted", "resume"])
    }
}
