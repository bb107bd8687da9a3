import Foundation
import Testing
import TradingTestSupport

/// The `qt` binary on a PostgreSQL store: `qt store migrate`, then `qt risk` and `qt status` with
/// `--config`, two bots on one database each seeing only their own halt.
@Suite struct QTStorePostgresCommandLineTests {
    /// Runs `qt arguments…` in `directory` with `QT_POSTGRES_URL` set; returns (status, stdout, stderr).
    private static func qt(_ arguments: [String], in directory: String, url: String) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: QTCommandLineTests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["QT_POSTGRES_URL"] = url
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Runs the processes on a thread of its own: waiting for them must not hold one of the
    /// cooperative threads the other suites' async tests need.
    @Test func migrateThenHaltOneBotWhileTheOtherStaysActive() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try Self.migrateThenHalt() }) }.start()
        }
    }

    private static func migrateThenHalt() throws {
        try #require(FileManager.default.isExecutableFile(atPath: QTCommandLineTests.binary), "qt is built next to the tests")
        let directory = NSTemporaryDirectory() + "qt-cli-pg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let url = try PostgresTestServer.shared.get().url(schema: String(schema))
        for bot in ["alpha", "beta"] {
            try "[execution]\npolicy = \"exit-engine\"\n[storage]\nbackend = \"postgres\"\nbot = \"\(bot)\"\n"
                .write(toFile: directory + "/\(bot).toml", atomically: true, encoding: .utf8)
        }

        let early = try Self.qt(["risk", "status", "--config", "alpha.toml"], in: directory, url: url)
        #expect(early.status != 0)
        #expect(early.err.contains("qt store migrate") && !early.err.contains(PostgresTestServer.password), "\(early.err)")

        let migrated = try Self.qt(["store", "migrate", "--config", "alpha.toml"], in: directory, url: url)
        #expect(migrated.status == 0, "\(migrated.err)")
        #expect(migrated.out.contains("schema v1, v2, v3, v4") && !migrated.out.contains(PostgresTestServer.password))

        let halt = try Self.qt(["risk", "halt", "--config", "alpha.toml", "--reason", "drawdown review"], in: directory, url: url)
        #expect(halt.status == 0, "\(halt.err)")
        let alpha = try Self.qt(["risk", "status", "--config", "alpha.toml"], in: directory, url: url)
        #expect(alpha.out.contains("risk state: HALTED"), "\(alpha.out)\(alpha.err)")
        let beta = try Self.qt(["risk", "status", "--config", "beta.toml"], in: directory, url: url)
        #expect(beta.out.contains("risk state: ACTIVE"), "\(beta.out)\(beta.err)")

        // A backtest records its run in the bot's PostgreSQL rows and says so (no SQLite file).
        let example = try String(contentsOfFile: BacktestConfigTests.root + "/examples/ema-cross.toml", encoding: .utf8)
        try (example + "\n[storage]\nbackend = \"postgres\"\nbot = \"alpha\"\n").write(toFile: directory + "/backtest.toml", atomically: true, encoding: .utf8)
        let data = BacktestConfigTests.root + "/data/binance-usdm/LINKUSDT-1m-2023-02-01_2023-02-28.csv.gz"
        let backtest = try Self.qt(["backtest", "--config", "backtest.toml", "--data", data, "--out", directory + "/run"], in: directory, url: url)
        #expect(backtest.status == 0, "\(backtest.err)")
        #expect(backtest.out.contains("store:  run #1 recorded in PostgreSQL as bot \"alpha\""), "\(backtest.out)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/qt.sqlite") && !backtest.out.contains(PostgresTestServer.password))

        let both = try Self.qt(["status", "--db", "x.sqlite", "--config", "alpha.toml"], in: directory, url: url)
        #expect(both.status != 0 && both.err.contains("--db FILE or --config FILE"))
    }
}
