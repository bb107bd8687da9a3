import Foundation
import Testing
import TradingConfig
import TradingEngine
import TradingModel
import TradingTestSupport
@testable import TraderApp

/// `[storage] backend = "postgres"`: the URL from `QT_POSTGRES_URL`, `qt store migrate` before
/// first use, `qt store copy` from SQLite, and the settings' validation.
@Suite struct PostgresStorageConfigTests {
    private func settings(_ extra: String = "") throws -> StorageSettings {
        try AppConfig(from: ConfigDocument.parse(text: """
            [storage]
            backend = "postgres"
            bot = "acct-1.ema"
            answer_timeout = "5s"
            \(extra)
            [execution]
            policy = "exit-engine"
            """, file: "app.toml")).storage
    }

    private func secrets(schema: String) throws -> StoreSecrets {
        StoreSecrets(postgresURL: try PostgresTestServer.shared.get().url(schema: schema))
    }

    private static func schemaName() -> String {
        "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    }

    @Test func storageSettingsReadBotAndTimeoutAndRejectBadValues() throws {
        let storage = try settings()
        #expect(storage == StorageSettings(backend: .postgres, path: "qt.sqlite", bot: "acct-1.ema", answerTimeout: .seconds(5)))
        for bad in ["bot = \"two words\"", "bot = \"\"", "answer_timeout = \"0s\"", "answer_timeout = \"5\""] {
            #expect(throws: ConfigErrorList.self, "\(bad)") {
                _ = try AppConfig(from: ConfigDocument.parse(text: "[storage]\n\(bad)\n[execution]\npolicy = \"exit-engine\"\n", file: "app.toml"))
            }
        }
    }

    @Test func theURLComesFromTheEnvironmentOrTheKeyFileAndIsNeverShown() throws {
        #expect(try StoreSecrets.load(environment: ["QT_POSTGRES_URL": "postgres://qt:pw@h/db"]).postgresURL == "postgres://qt:pw@h/db")
        #expect(try StoreSecrets.load(environment: [:]).postgresURL == nil)
        #expect("\(StoreSecrets(postgresURL: "postgres://qt:pw@h/db"))" == "StoreSecrets(redacted)")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keyFile = directory + "/keys"
        try "QT_POSTGRES_URL=postgres://qt:from-file@h/db\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        let loaded = try StoreSecrets.load(environment: ["QT_POSTGRES_URL": "postgres://qt:env@h/db"], keyFile: keyFile)
        #expect(loaded.postgresURL == "postgres://qt:from-file@h/db")

        #expect {
            _ = try TradeStoreFactory.make(try settings(), secrets: StoreSecrets(postgresURL: nil))
        } throws: { "\($0)".contains("QT_POSTGRES_URL") }
        #expect {
            _ = try TradeStoreFactory.make(try settings(), secrets: StoreSecrets(postgresURL: "postgres://qt:hunter2@/db"))
        } throws: { "\($0)".contains("QT_POSTGRES_URL") && !"\($0)".contains("hunter2") }
    }

    /// A new database: the bot refuses to start until `qt store migrate`, then records runs.
    @Test func aNewDatabaseNeedsMigrateThenTheConfiguredStoreWorks() throws {
        let storage = try settings()
        let secrets = try secrets(schema: Self.schemaName())
        #expect {
            _ = try TradeStoreFactory.make(storage, secrets: secrets)
        } throws: { "\($0)".contains("qt store migrate") && !"\($0)".contains(PostgresTestServer.password) }

        let lines = try StoreAdmin.migrate(storage, secrets: secrets)
        #expect(lines.count == 1 && lines[0].contains("schema v1, v2, v3, v4") && !lines[0].contains(PostgresTestServer.password))
        #expect(try StoreAdmin.migrate(storage, secrets: secrets) == lines)

        let store = try TradeStoreFactory.make(storage, secrets: secrets)
        let run = try store.beginRun(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: 0), configHash: "h", detail: "pg"))
        #expect(try store.runs().map(\.id) == [run])
    }

    @Test func copyMovesASQLiteStoreIntoTheConfiguredBot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-copy-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sqlite = StorageSettings(backend: .sqlite, path: directory + "/qt.sqlite")
        let source = try TradeStoreFactory.make(sqlite)
        let run = try source.beginRun(RunRecord(kind: .backtest, startedAt: Timestamp(milliseconds: 0), configHash: "h", detail: "bt"))
        try source.recordEquity(EquitySnapshotRecord(runID: run, time: Timestamp(milliseconds: 1), equity: Money("1000")!,
                                                     walletBalance: Money("1000")!, unrealizedPnL: .zero, drawdown: .zero))

        let storage = try settings()
        let secrets = try secrets(schema: Self.schemaName())
        let lines = try StoreAdmin.copy(sqlitePath: sqlite.path, into: storage, secrets: secrets)
        #expect(lines.contains("  runs: 1 rows") && lines.contains("  equity_snapshots: 1 rows"))
        let target = try TradeStoreFactory.make(storage, secrets: secrets)
        let copied = try #require(try target.runs().first?.id)
        #expect(try target.equity(runID: copied).map(\.equity) == [Money("1000")!])

        #expect(throws: (any Error).self) { _ = try StoreAdmin.copy(sqlitePath: directory + "/missing.sqlite", into: storage, secrets: secrets) }
        #expect(throws: (any Error).self) { _ = try StoreAdmin.copy(sqlitePath: sqlite.path, into: sqlite, secrets: secrets) }
    }
}
