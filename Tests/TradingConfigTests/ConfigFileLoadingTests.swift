import Foundation
import Testing
@testable import TradingConfig

/// Reading the configuration file: one line naming the file (and line) for every way it can be
/// unusable — not UTF-8, a directory, a device, too large, missing.
@Suite struct ConfigFileLoadingTests {
    private func loadError(_ path: String) -> ConfigError? {
        do {
            _ = try ConfigDocument.load(path: path)
            Issue.record("expected a ConfigError for \(path)")
        } catch {
            return error
        }
        return nil
    }

    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qt-config-\(UUID().uuidString).toml").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func nonUTF8ConfigurationNamesTheLine() throws {
        let path = try temporaryFile(Array("[exit]\nstop = 0.01\nname = \"".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(loadError(path))
        #expect(error.kind == .unreadable)
        #expect(error.line == 3)
        #expect(error.description == "\(path):3: not UTF-8 text (byte 0xFF at column 9)")
    }

    @Test func directoryIsRefusedInOneLine() throws {
        let error = try #require(loadError(FileManager.default.temporaryDirectory.path))
        #expect(error.description == "\(FileManager.default.temporaryDirectory.path): is a directory, not a configuration file")
    }

    @Test func deviceIsRefusedWithoutReadingIt() throws {
        let error = try #require(loadError("/dev/zero"))
        #expect(error.description == "/dev/zero: is a character device, not a configuration file")
    }

    @Test func missingFileIsOneLine() throws {
        let error = try #require(loadError("/nonexistent/qt.toml"))
        #expect(error.description == "/nonexistent/qt.toml: cannot open: No such file or directory")
    }

    @Test func oversizedFileIsRefused() throws {
        let path = try temporaryFile(Array(repeating: UInt8(ascii: "#"), count: ConfigDocument.maximumFileBytes + 1))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(loadError(path))
        #expect(error.description == "\(path): larger than \(ConfigDocument.maximumFileBytes) bytes; not a configuration file")
    }
}
