import TradingConfig
import Foundation
import Testing
@testable import TraderApp

/// What `qt config check` prints and whether it passes.
@Suite struct ConfigCheckTests {
    private func withFile(_ text: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qt-check-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    @Test func defaultFileIsValid() {
        let report = ConfigCheck.run(path: AppConfigTests.defaultFile)
        // Every section owner appends keys to default.toml: count them instead of hard-coding.
        let keys = (try? ConfigDocument.load(path: AppConfigTests.defaultFile).keyCount) ?? -1
        #expect(report == ConfigCheck.Report(isValid: true, lines: ["ok: \(AppConfigTests.defaultFile) (\(keys) keys)"]))
    }

    @Test func everyProblemIsOneLine() throws {
        try withFile("[execution]\npolicy = \"legacy\"\n[storage]\nbackend = \"mysql\"\n") { path in
            let report = ConfigCheck.run(path: path)
            #expect(!report.isValid)
            #expect(report.lines == [
                "\(path):4: 'storage.backend' = \"mysql\" is not one of: \"sqlite\", \"postgres\"",
                "\(path):2: 'execution.policy' = \"legacy\" is not one of: \"exit-engine\", \"reference-bracket\""
                    + " (the legacy executor never enforced its stop-loss; it no longer exists)",
            ])
        }
    }

    @Test func syntaxErrorAndMissingFile() throws {
        try withFile("[execution\n") { path in
            #expect(ConfigCheck.run(path: path).lines == ["\(path):1: expected ']' to close the table header"])
        }
        let missing = ConfigCheck.run(path: "/nonexistent/qt.toml")
        #expect(!missing.isValid && missing.lines.count == 1)
        #expect(missing.lines.first?.hasPrefix("/nonexistent/qt.toml: cannot open: No such file or directory") == true)
    }
}
