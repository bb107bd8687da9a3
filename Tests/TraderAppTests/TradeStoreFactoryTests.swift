import TradingConfig
import Foundation
import Testing
import TradingEngine
import TradingModel
@testable import TraderApp

/// `[storage]` opens a working SQLite store at the configured path.
@Suite struct TradeStoreFactoryTests {
    @Test func configuredSQLiteStoreIsCreatedAndUsable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-factory-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try AppConfig(from: ConfigDocument.parse(text: """
            [storage]
            path = "\(directory)/paper.sqlite"
            [execution]
            policy = "exit-engine"
            """, file: "app.toml"))
        let store = try TradeStoreFactory.make(config.storage)
        let run = try store.beginRun(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: 0), configHash: "h", detail: ""))
        #expect(run == 1)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/paper.sqlite"))
    }
}
