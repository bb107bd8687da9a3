import Foundation
import GRDB
import Testing
import TraderApp
import TradingEngine
import TradingModel

/// The `qt` binary itself (built next to the test bundle by `swift build --build-tests`): the
/// issue's acceptance on real processes — exit status, one-line errors, files left untouched.
@Suite struct QTCommandLineTests {
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qt").path
    }

    /// Runs `qt arguments…` in `directory`; returns (exit status, stdout, stderr).
    static func qt(_ arguments: [String], in directory: String) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Every command and subcommand parses: ArgumentParser checks a command's declaration (two
    /// options with one name, say) only when that command is invoked, so a clash makes it refuse
    /// every invocation while everything else works (`qt diagnose` once did). Walks the tree from
    /// `qt --help` through each SUBCOMMANDS section.
    @Test func everyCommandOfTheTreeAnswersHelp() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "qt is built next to the tests")
        var pending: [[String]] = [[]]
        var visited: [String] = []
        while let command = pending.popLast() {
            let result = try Self.qt(command + ["--help"], in: NSTemporaryDirectory())
            let name = (["qt"] + command).joined(separator: " ")
            visited.append(name)
            #expect(result.status == 0 && result.err.isEmpty, "\(name) --help: status \(result.status), \(result.err)")
            pending += Self.subcommands(inHelp: result.out).map { command + [$0] }
        }
        #expect(visited.contains("qt diagnose") && visited.contains("qt alerts history") && visited.count > 25, "\(visited)")
    }

    /// The names listed under SUBCOMMANDS in a help text (two-space indented, up to the blank line).
    static func subcommands(inHelp help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else { return [] }
        var names: [String] = []
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else { continue }
            names.append(String(word))
        }
        return names
    }

    @Test func statusOnAnEmptyFileAndOnAForeignDatabaseFailsAndLeavesBothByteIdentical() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "qt is built next to the tests")
        let directory = Integration.temporaryDirectory("cli-status")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let empty = directory + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let foreign = directory + "/foreign.sqlite"
        let queue = try DatabaseQueue(path: foreign)
        try queue.write { try $0.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')") }
        try queue.close()
        let foreignBytes = try #require(FileManager.default.contents(atPath: foreign))
        for file in ["empty.sqlite", "foreign.sqlite"] {
            for command in [["status"], ["risk", "status"], ["risk", "halt", "--reason", "x"], ["close", "--all"]] {
                let result = try Self.qt(command + ["--db", file], in: directory)
                #expect(result.status != 0, "\(command) \(file)")
                #expect(result.err.split(separator: "\n").count == 1, "\(command) \(file): \(result.err)")
                #expect(result.err.contains(file))
            }
        }
        #expect(FileManager.default.contents(atPath: empty) == Data())
        #expect(FileManager.default.contents(atPath: foreign) == foreignBytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["empty.sqlite", "foreign.sqlite"])
    }

    /// `qt status` and `qt risk status` once trapped (SIGILL) formatting a stored time of
    /// `Int64.min`; now the record is refused in one line naming the file, which stays unchanged.
    @Test func aStoredTimeNearInt64MinIsACorruptRecordNotATrap() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "qt is built next to the tests")
        let directory = Integration.temporaryDirectory("cli-time")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/qt.sqlite"
        let store = try TradeStoreFactory.make(StorageSettings(backend: .sqlite, path: path))
        try store.recordRiskEvent(RiskEventRecord(runID: nil, state: "halted", cause: "manual", detail: "by ada: test", time: Timestamp(milliseconds: 1)))
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "UPDATE risk_events SET time_ms = -9223372036854775808") }
        try queue.close()
        let before = try #require(FileManager.default.contents(atPath: path))
        for command in [["status"], ["risk", "status"]] {
            let result = try Self.qt(command + ["--db", "qt.sqlite"], in: directory)
            #expect(result.status == 1, "\(command)")
            #expect(result.err.split(separator: "\n").count == 1, "\(command): \(result.err)")
            #expect(result.err.contains("--db qt.sqlite: corrupt record: risk_events.time_ms = '-9223372036854775808 (time out of range)'"),
                    "\(command): \(result.err)")
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    /// `qt alerts history` once showed an unreadable history as empty ("messages (latest 0)").
    @Test func anUnreadableAlertHistoryIsAnErrorNotAnEmptyList() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "qt is built next to the tests")
        let directory = Integration.temporaryDirectory("cli-history")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/qt.sqlite"
        let store = try TradeStoreFactory.make(StorageSettings(backend: .sqlite, path: path))
        _ = try store.recordNotification(NotificationRecord(runID: nil, channel: "telegram", category: .alert, rule: "stop_not_triggered",
                                                            severity: .critical, symbol: nil, text: "stop", createdAt: Timestamp(milliseconds: 1)))
        let readable = try Self.qt(["alerts", "history", "--db", "qt.sqlite"], in: directory)
        #expect(readable.status == 0 && readable.out.contains("messages (latest 1)"), "\(readable.err)")
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "UPDATE notifications SET created_at_ms = -9223372036854775808") }
        try queue.close()
        let result = try Self.qt(["alerts", "history", "--db", "qt.sqlite"], in: directory)
        #expect(result.status == 1)
        #expect(!result.out.contains("messages (latest 0)"))
        #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
        #expect(result.err.contains("--db qt.sqlite: corrupt record: notifications.created_at_ms"), "\(result.err)")
    }

    @Test func dataInspectRefusesADeviceAtOnce() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "qt is built next to the tests")
        let result = try Self.qt(["data", "inspect", "/dev/urandom"], in: FileManager.default.temporaryDirectory.path)
        #expect(result.status == 1)
        #expect(result.err == "qt data inspect: invalid: /dev/urandom: notRegularFile: a character device, not a data file\n")
    }

    @Test func aHeaderOfEscapeSequencesIsPrintedEscaped() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "qt is built next to the tests")
        let directory = Integration.temporaryDirectory("cli-escape")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("\u{1B}[2J\u{1B}[3J\n1,1,1,1,1,1,,,\n".utf8).write(to: URL(fileURLWithPath: directory + "/FILUSDT-1m-x.csv"))
        let result = try Self.qt(["data", "inspect", "FILUSDT-1m-x.csv"], in: directory)
        #expect(result.status == 1)
        #expect(!result.err.contains("\u{1B}"))
        #expect(result.err.contains("found '\\e[2J\\e[3J'"))
    }
}
