import Foundation
@testable import Research
import Testing
import TradingConfig

@Suite struct SweepManifestTests {
    @Test func gridTimesDatasetsGivesTheUnits() throws {
        let fixtures = try SweepFixtures()
        defer { fixtures.cleanUp() }
        let manifest = try fixtures.manifest(fast: [5, 8, 12, 16, 20], slow: [26, 50])
        let units = SweepPlan.units(of: manifest)
        try #require(units.count == 20)
        #expect(units.map(\.id) == (1...20).map { String(format: "u%03d", $0) })
        #expect(units[0].dataset == "LINKUSDT" && units[10].dataset == "FILUSDT")
        #expect(units[1].parameters == [.init(key: "strategy.fast_period", literal: "5"), .init(key: "strategy.slow_period", literal: "50")])
        #expect(manifest.heatmapAxes?.x == "strategy.fast_period" && manifest.heatmapAxes?.y == "strategy.slow_period")
        let arguments = units[1].arguments(outputDirectory: "out/u002")
        #expect(arguments == ["backtest", "--config", "\(fixtures.directory)/base.toml", "--data", "\(fixtures.directory)/data/LINKUSDT-1m.csv",
                              "--set", "strategy.fast_period=5", "--set", "strategy.slow_period=50", "--no-store", "--json", "--out", "out/u002"])
    }

    @Test func nestedGridTablesAndStringValues() throws {
        let document = try TradingConfigParse.document("""
        [sweep]
        name = "exits"
        config = "base.toml"
        [grid.exit]
        price_source = ["mark", "last"]
        [grid.strategy]
        stop_loss = [0.01, 0.012]
        [datasets]
        A = ["a.csv"]
        """)
        let manifest = try SweepManifest(document: document)
        #expect(manifest.grid.map(\.key) == ["exit.price_source", "strategy.stop_loss"])
        #expect(manifest.grid[0].values == ["\"mark\"", "\"last\""])
        let unit = try #require(SweepPlan.units(of: manifest).first)
        let result = SweepUnitResult(unit: unit, outcome: .succeeded(json: "{\"net_pnl\":1}"))
        #expect(result.line == "{\"unit\":\"u001\",\"dataset\":\"A\",\"params\":{\"exit.price_source\":\"mark\",\"strategy.stop_loss\":0.01},\"result\":{\"net_pnl\":1}}")
    }

    @Test(arguments: [
        ("[sweep]\nname = \"x\"\nconfig = \"c\"\n[datasets]\nA = [\"a\"]\n", "grid"),
        ("[sweep]\nname = \"x\"\nconfig = \"c\"\n[grid]\nk = [1]\n", "datasets"),
        ("[sweep]\nname = \"x y\"\nconfig = \"c\"\n[grid]\nk = [1]\n[datasets]\nA = [\"a\"]\n", "name"),
        ("[sweep]\nname = \"x\"\nconfig = \"c\"\nmetric = \"sharpe\"\n[grid]\nk = [1]\n[datasets]\nA = [\"a\"]\n", "metric"),
        ("[sweep]\nname = \"x\"\nconfig = \"c\"\n[grid]\nk = [1, 1]\n[datasets]\nA = [\"a\"]\n", "repeats"),
        ("[sweep]\nname = \"x\"\nconfig = \"c\"\nheatmap = [\"k\", \"z\"]\n[grid]\nk = [1]\n[datasets]\nA = [\"a\"]\n", "heatmap"),
        ("[sweep]\nname = \"x\"\nconfig = \"c\"\nengine = \"ray\"\n[grid]\nk = [1]\n[datasets]\nA = [\"a\"]\n", "sweep.engine"),
    ])
    func badManifestsNameTheProblem(text: String, mentions: String) throws {
        let path = NSTemporaryDirectory() + "bad-manifest-\(UUID().uuidString).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do throws(SweepError) {
            _ = try SweepManifest.load(path: path)
            Issue.record("expected a refusal mentioning \(mentions)")
        } catch {
            #expect(error.kind == .manifest)
            #expect(error.message.contains(mentions), "\(error.message)")
        }
    }
}

enum TradingConfigParse {
    static func document(_ text: String) throws -> ConfigDocument { try ConfigDocument.parse(text: text, file: "test.toml") }
}
