import Foundation
@testable import Research
import Synchronization
import Testing

@Suite struct LocalSweepEngineTests {
    @Test func runsEveryUnitAndKeepsFailuresAsResults() async throws {
        let fixtures = try SweepFixtures()
        defer { fixtures.cleanUp() }
        let run = SweepRun(manifest: try fixtures.manifest(fast: [5, 99], slow: [26, 50]))
        let streamed = Locked<[String]>([])
        let engine = LocalSweepEngine(executable: fixtures.fakeQt, jobs: 2, unitOutput: run.unitsDirectory)
        let report = try await run.execute(on: engine) { result in streamed.withLock { $0.append(result.line) } }
        #expect(report.results.count == 8)
        #expect(streamed.withLock { $0.count } == 8)
        let first = try #require(report.results.first)
        #expect(first.line == "{\"unit\":\"u001\",\"dataset\":\"LINKUSDT\",\"params\":{\"strategy.fast_period\":5,\"strategy.slow_period\":26},"
                + "\"result\":{\"net_pnl\":21.25000000,\"trades\":5,\"profit_factor\":1.5,\"win_rate_pct\":50.0,\"max_drawdown_pct\":2.0}}")
        let failed = report.results.filter { !$0.succeeded }
        #expect(failed.count == 4)
        if case .failed(let reason) = failed[0].outcome {
            #expect(reason.contains("the strategy refused fast_period 99"))
            #expect(reason.contains("3"))
        }
        let lines = try String(contentsOfFile: run.directory + "/results.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        #expect(FileManager.default.fileExists(atPath: run.directory + "/report.html"))
        #expect(FileManager.default.fileExists(atPath: run.directory + "/units.json"))
    }

    @Test func missingExecutableIsALaunchError() async throws {
        let fixtures = try SweepFixtures()
        defer { fixtures.cleanUp() }
        let run = SweepRun(manifest: try fixtures.manifest(fast: [5], slow: [26]))
        let engine = LocalSweepEngine(executable: fixtures.directory + "/no-such-qt", jobs: 1, unitOutput: run.unitsDirectory)
        await #expect(throws: SweepError.self) { _ = try await run.execute(on: engine) { _ in } }
    }

    @Test func missingDataFileIsRefusedBeforeAnythingRuns() async throws {
        let fixtures = try SweepFixtures()
        defer { fixtures.cleanUp() }
        let manifest = try fixtures.manifest(fast: [5], slow: [26])
        try FileManager.default.removeItem(atPath: fixtures.directory + "/data/FILUSDT-1m.csv")
        let run = SweepRun(manifest: manifest)
        do throws(SweepError) {
            _ = try await run.execute(on: LocalSweepEngine(executable: fixtures.fakeQt, jobs: 1, unitOutput: run.unitsDirectory)) { _ in }
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .manifest)
            #expect(error.message.contains("FILUSDT-1m.csv"))
        }
    }
}
