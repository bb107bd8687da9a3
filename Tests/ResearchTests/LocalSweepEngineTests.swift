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
        try #require(failed.count == 4)
        if case .failed(let reason) = failed[0].outcome {
            #expect(reason.contains("the strategy refused fast_period 99"))
            #expect(reason.contains("3"))
        }
        let lines = try String(contentsOfFile: run.directory + "/results.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        #expect(FileManager.default.fileExists(atPath: run.directory + "/report.html"))
        #expect(FileManager.default.fileExists(atPath: run.directory + "/units.json"))
    }

    /// `--jobs 2` runs two units at the same time: each unit of this fake `qt` meets the other at a
    /// named pipe (the LINKUSDT unit writes, the FILUSDT unit reads; opening blocks until both
    /// ends are open), which only succeeds when both run at once. Run one at a time, the first
    /// unit would wait at the pipe until `timeout` fails it.
    @Test func twoJobsRunTwoUnitsAtOnce() async throws {
        let fixtures = try SweepFixtures()
        defer { fixtures.cleanUp() }
        let pipe = fixtures.directory + "/meet"
        guard mkfifo(pipe, 0o600) == 0 else { throw SweepError(.launch, "mkfifo failed") }
        let script = """
        #!/bin/sh
        case "$*" in
          *LINKUSDT*) timeout 60 sh -c 'echo met > "$0"' \(pipe) || { echo "nobody read the pipe" >&2; exit 5; } ;;
          *) timeout 60 cat \(pipe) >/dev/null || { echo "nobody wrote the pipe" >&2; exit 5; } ;;
        esac
        echo '{"net_pnl":1.0,"trades":1,"profit_factor":1.0,"win_rate_pct":50.0,"max_drawdown_pct":1.0}'
        """
        let executable = fixtures.directory + "/meeting-qt"
        try script.write(toFile: executable, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable)
        let run = SweepRun(manifest: try fixtures.manifest(fast: [5], slow: [26]))
        let engine = LocalSweepEngine(executable: executable, jobs: 2, unitOutput: run.unitsDirectory)
        let report = try await run.execute(on: engine) { _ in }
        #expect(report.results.count == 2)
        #expect(report.results.filter { !$0.succeeded }.map(\.line) == [])
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
