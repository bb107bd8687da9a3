import AsyncHTTPClient
import Foundation
@testable import Research
import Synchronization
import Testing
import ZipArchive
import HTTPTestSupport

@Suite("qt sweep --engine ray against a fake Jobs API")
struct RaySweepEngineTests {
    /// A controllable Ctrl-C: `interrupted` returns once `press()` was called (or on cancellation).
    final class Interrupt: Sendable {
        let stream: AsyncStream<Void>
        let continuation: AsyncStream<Void>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
        func press() { continuation.yield() }
        func wait() async { for await _ in stream { return } }
    }

    private static func engine(_ fake: FakeRayJobsAPI, _ fixtures: SweepFixtures, http: HTTPClient, token: String? = nil,
                               interrupt: Interrupt = Interrupt(), events: Locked<[RaySweepEngine.Event]>,
                               sleeps: Locked<[Duration]> = Locked([]), onEvent: @escaping @Sendable (RaySweepEngine.Event) -> Void = { _ in }) -> RaySweepEngine {
        RaySweepEngine(
            settings: RaySweepEngine.Settings(address: fake.address, token: token, sweepName: "grid", executable: fixtures.fakeQt),
            http: http, sleep: { duration in sleeps.withLock { $0.append(duration) } },
            interrupted: { await interrupt.wait() },
            events: { event in events.withLock { $0.append(event) }; onEvent(event) })
    }

    private static func withSetup(_ body: (FakeRayJobsAPI, SweepFixtures, SweepRun, HTTPClient) async throws -> Void) async throws {
        let fixtures = try SweepFixtures()
        defer { fixtures.cleanUp() }
        let run = SweepRun(manifest: try fixtures.manifest(fast: [5, 8, 12], slow: [26, 50]))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await FakeRayJobsAPI.with(resultLine: { _, arguments in SweepFixtures.expectedJSON(arguments: arguments) }) { fake in
                try await body(fake, fixtures, run, http)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    @Test func everyUnitArrivesOnceFromTheJobLogs() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            let events = Locked<[RaySweepEngine.Event]>([])
            let sleeps = Locked<[Duration]>([])
            let lines = Locked<[String]>([])
            let report = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: events, sleeps: sleeps)) { result in
                lines.withLock { $0.append(result.line) }
            }
            #expect(report.results.count == 12)
            #expect(report.results.allSatisfy { $0.succeeded })
            #expect(Set(lines.withLock { $0 }).count == 12, "a repeated log line is delivered once")
            let first = try #require(report.results.first)
            #expect(first.line.hasSuffix("\"result\":{\"net_pnl\":21.25000000,\"trades\":5,\"profit_factor\":1.5,\"win_rate_pct\":50.0,\"max_drawdown_pct\":2.0}}"))
            // The package: qt executable, driver, units with package paths.
            let package = try #require(fake.state.withLock { $0.packages.values.first })
            let archive = try ZipArchiveReader(bytes: package)
            #expect(archive.entry(named: "qt")?.unixMode == 0o755)
            #expect(try archive.contents(of: try #require(archive.entry(named: "qt_sweep_driver.py"))) == Array(RayDriverScript.text.utf8))
            let arguments = try #require(fake.arguments(of: "u001"))
            #expect(arguments.contains("files/2-LINKUSDT-1m.csv") || arguments.contains { $0.hasPrefix("files/") && $0.hasSuffix("LINKUSDT-1m.csv") })
            #expect(arguments.suffix(4) == ["--no-store", "--json", "--out", "runs/u001"])
            let job = try #require(fake.state.withLock { $0.jobs.values.first })
            #expect(job.entrypoint == "python qt_sweep_driver.py units.json")
            #expect(job.workingDir.hasPrefix("gcs://_ray_pkg_") && job.workingDir.hasSuffix(".zip"))
            // Between polls of a running job it waits the poll interval. (Other sleeps are the
            // client's retry back-off: on a starved machine a request can time out and be retried.)
            let runningPolls = events.withLock { $0 }.filter { if case .polled(let status, _, _) = $0 { !status.isTerminal } else { false } }.count
            #expect(runningPolls > 0)
            #expect(sleeps.withLock { $0 }.filter { $0 == .seconds(2) }.count >= runningPolls)
            #expect(events.withLock { $0 }.contains { if case .submitted = $0 { true } else { false } })
        }
    }

    /// Running the same sweep again uploads nothing and submits nothing: it follows the job
    /// already there (idempotent submission id) and reads its results.
    @Test func sameSweepAgainAttachesToItsJob() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            let events = Locked<[RaySweepEngine.Event]>([])
            _ = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: events)) { _ in }
            let second = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: events)) { _ in }
            #expect(second.results.count == 12)
            #expect(fake.requests.filter { $0.method == "PUT" }.count == 1)
            #expect(fake.requests.filter { $0.method == "POST" && $0.path == "/api/jobs/" }.count == 1)
            #expect(fake.state.withLock { $0.jobs.count } == 1)
            #expect(events.withLock { $0 }.contains { if case .attached(_, .succeeded) = $0 { true } else { false } })
        }
    }

    /// A job that fails part way: the results that arrived are kept, the error says why; the
    /// next run starts a new job under the next submission id.
    @Test func failedJobIsReportedAndTheNextRunResubmits() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            fake.state.withLock { $0.behaviour = .fail(afterResults: 4) }
            let events = Locked<[RaySweepEngine.Event]>([])
            let delivered = Locked(0)
            do throws(SweepError) {
                _ = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: events)) { _ in delivered.withLock { $0 += 1 } }
                Issue.record("expected the failed job to be reported")
            } catch {
                #expect(error.kind == .incomplete)
                #expect(error.message.contains("failed") && error.message.contains("exit code 1"))
                #expect(error.message.contains("no result for 8 unit(s)"))
            }
            #expect(delivered.withLock { $0 } == 4)
            fake.state.withLock { $0.behaviour = .succeed(perPoll: 5) }
            let report = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: events)) { _ in }
            #expect(report.results.count == 12)
            let ids = fake.state.withLock { Array($0.jobs.keys) }.sorted()
            #expect(ids.count == 2 && ids[1] == ids[0] + "-2")
        }
    }

    /// Ctrl-C while the job runs: the client asks Ray to stop it and reports the interruption.
    @Test func interruptionStopsTheJob() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            fake.state.withLock { $0.behaviour = .runForever(afterResults: 2) }
            let interrupt = Interrupt()
            let events = Locked<[RaySweepEngine.Event]>([])
            let engine = Self.engine(fake, fixtures, http: http, interrupt: interrupt, events: events) { event in
                if case .polled(.running, let results, _) = event, results >= 2 { interrupt.press() }
            }
            do throws(SweepError) {
                _ = try await run.execute(on: engine) { _ in }
                Issue.record("expected an interruption")
            } catch {
                #expect(error.kind == .interrupted)
            }
            #expect(fake.requests.contains { $0.method == "POST" && $0.path.hasSuffix("/stop") })
            #expect(fake.state.withLock { $0.jobs.values.first?.status } == "STOPPED")
            let partial = try String(contentsOfFile: run.directory + "/results.jsonl", encoding: .utf8)
            #expect(partial.split(separator: "\n").count == 2)
        }
    }

    @Test func oldRayIsRefusedBeforeUploading() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            fake.state.withLock { $0.rayVersion = "2.5.1" }
            do throws(SweepError) {
                _ = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: Locked([]))) { _ in }
                Issue.record("expected a refusal")
            } catch {
                #expect(error.kind == .ray)
                #expect(error.message.contains("2.5.1"))
            }
            #expect(fake.requests.allSatisfy { $0.method == "GET" })
        }
    }

    /// Token authentication: the token goes in every request; without it the error says what
    /// is missing and never contains a token.
    @Test func tokenIsSentAndNeverShown() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            fake.state.withLock { $0.requiredToken = "s3cret-token" }
            do throws(SweepError) {
                _ = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: Locked([]))) { _ in }
                Issue.record("expected a refusal without the token")
            } catch {
                #expect(error.message.contains("token"))
                #expect(!error.message.contains("s3cret"))
            }
            let report = try await run.execute(on: Self.engine(fake, fixtures, http: http, token: "s3cret-token", events: Locked([]))) { _ in }
            #expect(report.results.count == 12)
            #expect(fake.requests.last?.header("Authorization") == "Bearer s3cret-token")
        }
    }

    /// A busy head answering 503 is asked again.
    @Test func serverErrorsAreRetried() async throws {
        try await Self.withSetup { fake, fixtures, run, http in
            fake.state.withLock { $0.failuresToInject = ["GET /api/version": 2] }
            let sleeps = Locked<[Duration]>([])
            let report = try await run.execute(on: Self.engine(fake, fixtures, http: http, events: Locked([]), sleeps: sleeps)) { _ in }
            #expect(report.results.count == 12)
            #expect(fake.requests.filter { $0.path == "/api/version" }.count == 3)
        }
    }

    /// The driver shipped in packages is the script in the repository.
    @Test func embeddedDriverIsTheRepositoryScript() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = try String(contentsOf: root.appendingPathComponent("scripts/ray/qt_sweep_driver.py"), encoding: .utf8)
        #expect(script == RayDriverScript.text)
    }

    @Test func resultLinesAmongRayOutput() throws {
        let unit = SweepUnit(id: "u001", parameters: [], dataset: "A", configPath: "c", dataFiles: ["d"])
        let logs = """
        2026-01-01 INFO worker.py:1 -- Connecting to existing Ray cluster
        QT_SWEEP_RESULT u001 ok {"net_pnl":1.5}
        QT_SWEEP_RESULT u009 ok {"net_pnl":2}
        (run_unit pid=123) QT_SWEEP_RESULT u001 failed "exit 1: boom"
        QT_SWEEP_RESULT u001 ok {not json
        """
        let results = RayResultLine.parse(logs: logs, units: ["u001": unit])
        try #require(results.count == 3)
        #expect(results[0].outcome == .succeeded(json: "{\"net_pnl\":1.5}"))
        #expect(results[1].outcome == .failed(reason: "exit 1: boom"))
        if case .failed(let reason) = results[2].outcome { #expect(reason.contains("unreadable")) } else { Issue.record("bad line accepted") }
    }
}
