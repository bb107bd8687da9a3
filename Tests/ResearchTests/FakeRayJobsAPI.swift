import Foundation
import HTTPTestSupport
import Synchronization
import ZipArchive

/// A fake Ray head's Jobs REST API on 127.0.0.1: version, package upload and lookup, job
/// submission with Ray's duplicate-id refusal, status and logs that advance with each poll,
/// stop. Its bad days: an old Ray version, 503 answers, a token it insists on, a job that fails
/// part way, a job that never ends until stopped, logs full of Ray's own lines and repeated
/// result lines. The uploaded package is unpacked and checked as Ray would (units.json, the
/// driver, `qt` executable).
final class FakeRayJobsAPI: Sendable {
    struct Job: Sendable {
        var status = "PENDING"
        var message = ""
        var unitIDs: [String]
        var printed = 0
        var entrypoint: String
        var workingDir: String
        var polls = 0
    }

    enum Behaviour: Sendable, Hashable {
        /// Results arrive `perPoll` at a time, then SUCCEEDED.
        case succeed(perPoll: Int)
        /// FAILED after `afterResults` results.
        case fail(afterResults: Int)
        /// RUNNING with no more results until stopped.
        case runForever(afterResults: Int)
    }

    struct State: Sendable {
        var rayVersion = "2.40.0"
        var requiredToken: String?
        var packages: [String: [UInt8]] = [:]
        var jobs: [String: Job] = [:]
        var behaviour = Behaviour.succeed(perPoll: 3)
        var failuresToInject: [String: Int] = [:]
        var requests: [LoopbackRequest] = []
        var packageModes: [String: UInt32?] = [:]
    }

    let state = Mutex(State())
    /// The result line a unit prints (its JSON object), from its id and arguments.
    let resultLine: @Sendable (String, [String]) -> String
    private let unitArguments = Mutex<[String: [String]]>([:])
    private let server = Mutex<LoopbackHTTPServer?>(nil)

    init(resultLine: @escaping @Sendable (String, [String]) -> String) { self.resultLine = resultLine }

    var address: String { server.withLock { $0?.baseURL ?? "" } }
    var requests: [LoopbackRequest] { state.withLock { $0.requests } }
    func arguments(of unit: String) -> [String]? { unitArguments.withLock { $0[unit] } }

    static func with<T: Sendable>(resultLine: @escaping @Sendable (String, [String]) -> String, _ body: (FakeRayJobsAPI) async throws -> T) async throws -> T {
        let fake = FakeRayJobsAPI(resultLine: resultLine)
        return try await LoopbackHTTPServer.with(handler: { fake.answer($0) }) { server in
            fake.server.withLock { $0 = server }
            return try await body(fake)
        }
    }

    private func answer(_ request: LoopbackRequest) -> LoopbackResponse {
        let required = state.withLock { state -> String? in
            state.requests.append(request)
            return state.requiredToken
        }
        if let required, request.header("Authorization") != "Bearer \(required)" {
            return .json("{\"error\":\"unauthenticated\"}", status: 401)
        }
        let injected = state.withLock { state -> Bool in
            let key = "\(request.method) \(request.path)"
            guard let count = state.failuresToInject[key], count > 0 else { return false }
            state.failuresToInject[key] = count - 1
            return true
        }
        if injected { return .json("{\"error\":\"head busy\"}", status: 503) }
        let path = request.path
        switch (request.method, path) {
        case ("GET", "/api/version"):
            return .json("{\"version\":\"3\",\"ray_version\":\"\(state.withLock { $0.rayVersion })\",\"ray_commit\":\"fake\"}")
        case ("GET", _) where path.hasPrefix("/api/packages/gcs/"):
            let name = String(path.dropFirst("/api/packages/gcs/".count))
            return state.withLock { $0.packages[name] } == nil ? .json("{}", status: 404) : .json("{}")
        case ("PUT", _) where path.hasPrefix("/api/packages/gcs/"):
            let name = String(path.dropFirst("/api/packages/gcs/".count))
            state.withLock { $0.packages[name] = request.body }
            return .json("{}")
        case ("POST", "/api/jobs/"):
            return submit(request.body)
        case ("GET", _) where path.hasPrefix("/api/jobs/") && path.hasSuffix("/logs"):
            let id = String(path.dropFirst("/api/jobs/".count).dropLast("/logs".count))
            return logs(id)
        case ("POST", _) where path.hasPrefix("/api/jobs/") && path.hasSuffix("/stop"):
            let id = String(path.dropFirst("/api/jobs/".count).dropLast("/stop".count))
            let stopped = state.withLock { state -> Bool in
                guard var job = state.jobs[id], job.status == "PENDING" || job.status == "RUNNING" else { return false }
                job.status = "STOPPED"
                state.jobs[id] = job
                return true
            }
            return .json("{\"stopped\":\(stopped)}")
        case ("GET", _) where path.hasPrefix("/api/jobs/"):
            return status(String(path.dropFirst("/api/jobs/".count)))
        default:
            return .json("{\"error\":\"no route\"}", status: 404)
        }
    }

    private func submit(_ body: [UInt8]) -> LoopbackResponse {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let id = object["submission_id"] as? String, let entrypoint = object["entrypoint"] as? String,
              let runtime = object["runtime_env"] as? [String: Any], let workingDir = runtime["working_dir"] as? String
        else { return .json("{\"error\":\"bad request\"}", status: 400) }
        let package = String(workingDir.dropFirst("gcs://".count))
        guard let bytes = state.withLock({ $0.packages[package] }) else {
            return .json("runtime_env working_dir \(workingDir) not found", status: 500)
        }
        if state.withLock({ $0.jobs[id] != nil }) {
            return .full(status: 400, headers: [:], body: Array("Job with submission_id \(id) already exists. Please use a different submission_id.".utf8))
        }
        // Unpack as Ray would: the driver, units.json and an executable qt must be there.
        guard let archive = try? ZipArchiveReader(bytes: bytes),
              let unitsEntry = archive.entry(named: "units.json"), archive.entry(named: "qt_sweep_driver.py") != nil,
              let qt = archive.entry(named: "qt"), let unitsBytes = try? archive.contents(of: unitsEntry),
              let spec = (try? JSONSerialization.jsonObject(with: Data(unitsBytes))) as? [String: Any],
              let units = spec["units"] as? [[String: Any]]
        else { return .json("bad package", status: 500) }
        state.withLock { $0.packageModes[package] = qt.unixMode }
        var ids: [String] = []
        for unit in units {
            guard let unitID = unit["id"] as? String, let args = unit["args"] as? [String] else { continue }
            ids.append(unitID)
            unitArguments.withLock { $0[unitID] = args }
        }
        state.withLock { $0.jobs[id] = Job(unitIDs: ids, entrypoint: entrypoint, workingDir: workingDir) }
        return .json("{\"job_id\":\"raysubmit_1\",\"submission_id\":\"\(id)\"}")
    }

    private func status(_ id: String) -> LoopbackResponse {
        let job: Job? = state.withLock { state in
            guard var job = state.jobs[id] else { return nil }
            job.polls += 1
            if job.status == "PENDING" && job.polls > 1 { job.status = "RUNNING" }
            if job.status == "RUNNING" {
                switch state.behaviour {
                case .succeed:
                    if job.printed >= job.unitIDs.count { job.status = "SUCCEEDED" }
                case .fail(let afterResults):
                    if job.printed >= afterResults {
                        job.status = "FAILED"
                        job.message = "Job entrypoint command failed with exit code 1"
                    }
                case .runForever:
                    break
                }
            }
            state.jobs[id] = job
            return job
        }
        guard let job else { return .json("{\"detail\":\"Job \(id) does not exist\"}", status: 404) }
        return .json("{\"submission_id\":\"\(id)\",\"status\":\"\(job.status)\",\"message\":\"\(job.message)\",\"entrypoint\":\"x\"}")
    }

    private func logs(_ id: String) -> LoopbackResponse {
        let lines: [String]? = state.withLock { state in
            guard var job = state.jobs[id] else { return nil }
            if job.status == "RUNNING" {
                let limit: Int
                switch state.behaviour {
                case .succeed(let perPoll): limit = job.unitIDs.count; job.printed = min(limit, job.printed + perPoll)
                case .fail(let after): limit = after; job.printed = min(limit, job.printed + 2)
                case .runForever(let after): limit = after; job.printed = min(limit, job.printed + 2)
                }
            }
            state.jobs[id] = job
            var lines = ["2026-01-01 00:00:00,000\tINFO worker.py:1 -- Connecting to existing Ray cluster at address: 127.0.0.1:6379..."]
            for unitID in job.unitIDs.prefix(job.printed) {
                lines.append("QT_SWEEP_RESULT \(unitID) ok \(resultLine(unitID, arguments(of: unitID) ?? []))")
            }
            if job.printed > 0, let first = job.unitIDs.first {
                // Ray may show a line twice (a driver restart); the client must count it once.
                lines.append("QT_SWEEP_RESULT \(first) ok \(resultLine(first, arguments(of: first) ?? []))")
            }
            return lines
        }
        guard let lines else { return .json("{}", status: 404) }
        let escaped = lines.joined(separator: "\n").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        return .json("{\"logs\":\"\(escaped)\\n\"}")
    }
}
