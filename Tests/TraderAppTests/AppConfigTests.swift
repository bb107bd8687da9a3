import TradingConfig
import Foundation
import Testing
import TradingModel
@testable import TraderApp
import Logging
import TradingEngine

/// The app-level sections and `config/default.toml`.
@Suite struct AppConfigTests {
    /// `config/default.toml` in this package, found from this source file.
    static let defaultFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/default.toml").path

    private func config(_ text: String) throws -> AppConfig {
        try AppConfig(from: ConfigDocument.parse(text: text, file: "app.toml"))
    }

    /// The errors `AppConfig` reports for `text` (empty and a recorded issue when it loads).
    private func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try config(text)
            Issue.record("expected configuration errors")
        } catch let list as ConfigErrorList {
            return list.errors
        } catch {
            Issue.record("unexpected \(error)")
        }
        return []
    }

    @Test func defaultFileParsesHasNoUnknownKeysAndMatchesInCodeDefaults() throws {
        let document = try ConfigDocument.load(path: Self.defaultFile)
        let loaded = try AppConfig(from: document)   // also rejects unknown keys
        #expect(document.unusedKeys() == [])
        #expect(loaded.storage == StorageSettings.defaults)
        #expect(loaded.logging == LoggingSettings.defaults)
        #expect(loaded.exit.priceSource == .markPrice)
        #expect(loaded.execution.policy == .exitEngine)
        // The same values as a file holding only the required keys (every other value defaulted).
        let minimal = try config("[execution]\npolicy = \"exit-engine\"\n")
        #expect(loaded.storage == minimal.storage)
        #expect(loaded.logging == minimal.logging)
        #expect(loaded.execution == minimal.execution)
    }

    /// The fingerprint stored with each run: SHA-256 of the file's text, first 8 bytes in hex.
    /// sha256("") = e3b0c44298fc1c14 9afbf4c8996fb924…, sha256("abc") = ba7816bf8f01cfea 414140de5dae2223….
    @Test func fingerprintIsTheSHA256OfTheText() {
        #expect(AppConfig.fingerprintOf(text: "") == "sha256:e3b0c44298fc1c14")
        #expect(AppConfig.fingerprintOf(text: "abc") == "sha256:ba7816bf8f01cfea")
        #expect(AppConfig.fingerprintOf(text: "a") != AppConfig.fingerprintOf(text: "a "))
    }

    @Test func missingPolicyIsAnError() {
        let found = errors("[execution]\n# no policy\n")
        #expect(found.map(\.description) == ["app.toml:1: missing required key 'execution.policy' in [execution]"])
        #expect(errors("").map(\.key) == ["execution.policy"])
    }

    @Test(arguments: ["legacy", "none", "Exit-Engine", ""])
    func unknownPolicyIsRejected(_ policy: String) {
        let found = errors("[execution]\npolicy = \"\(policy)\"\n")
        #expect(found.count == 1)
        #expect(found.first?.kind == .invalidValue)
        #expect(found.first?.key == "execution.policy")
        #expect(found.first?.message.contains("is not one of: \"exit-engine\", \"reference-bracket\"") == true)
    }

    @Test func legacyPolicyErrorExplainsWhy() {
        #expect(errors("[execution]\npolicy = \"legacy\"\n").first?.description
            == "app.toml:2: 'execution.policy' = \"legacy\" is not one of: \"exit-engine\", \"reference-bracket\""
            + " (the legacy executor never enforced its stop-loss; it no longer exists)")
    }

    @Test func referenceBracketAndLastPrice() throws {
        let loaded = try config("[execution]\npolicy = \"reference-bracket\"\n[exit]\nprice_source = \"last\"\n")
        #expect(loaded.execution == ExecutionSettings(policy: .referenceBracket))
        #expect(loaded.exit.priceSource == .lastPrice)
    }

    @Test func storageAndLoggingValues() throws {
        let loaded = try config("""
        [storage]
        path = "runs/paper.sqlite"
        [logging]
        level = "debug"
        [execution]
        policy = "exit-engine"
        """)
        #expect(loaded.storage == StorageSettings(backend: .sqlite, path: "runs/paper.sqlite"))
        #expect(loaded.logging.level == .debug)
        #expect(errors("[storage]\nbackend = \"mysql\"\n[execution]\npolicy = \"exit-engine\"\n").first?.key == "storage.backend")
        #expect(errors("[storage]\npath = \"\"\n[execution]\npolicy = \"exit-engine\"\n").first?.key == "storage.path")
        #expect(errors("[logging]\nlevel = \"loud\"\n[execution]\npolicy = \"exit-engine\"\n").first?.key == "logging.level")
    }

    @Test func errorsFromSeveralSectionsAreAllReported() {
        let found = errors("[storage]\nbackend = 1\n[logging]\nlevel = \"loud\"\n[execution]\npolicy = \"legacy\"\n")
        #expect(found.map(\.key) == ["storage.backend", "logging.level", "execution.policy"])
    }

    @Test func unknownKeyFailsTheWholeConfig() {
        let found = errors("[execution]\npolicy = \"exit-engine\"\n\n[exit]\nstop_los = 0.01\n")
        #expect(found.map(\.description) == ["app.toml:5: unknown key 'exit.stop_los'"])
    }
}
