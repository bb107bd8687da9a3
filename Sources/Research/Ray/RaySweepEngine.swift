import AsyncHTTPClient
import Foundation

/// Runs a sweep as one Ray job through the Jobs REST API: checks the cluster's version, uploads
/// the content-hashed job package unless Ray has it, submits with an idempotent submission id,
/// polls the job and its logs (results stream in as units finish), and on interruption (Ctrl-C)
/// asks Ray to stop the job.
///
/// The submission id is `qt-sweep-<name>-<hash of the package>`: running the same sweep again
/// attaches to the job already running or finished instead of starting a second one; after a
/// job that failed or was stopped, the next free `…-2`, `…-3` is used.
public struct RaySweepEngine: SweepEngine {
    public struct Settings: Sendable {
        public var address: String
        public var token: String?
        public var sweepName: String
        public var executable: String
        public var libraries: [String] = []
        /// The Python of the cluster's Ray installation, as the job's entrypoint runs it.
        public var python = "python"
        public var maxRetries = 3
        public var pollInterval: Duration = .seconds(2)

        public init(address: String, token: String?, sweepName: String, executable: String) {
            self.address = address
            self.token = token
            self.sweepName = sweepName
            self.executable = executable
        }
    }

    /// What the engine reports while it runs (for a progress line).
    public enum Event: Sendable, Hashable {
        case connected(RayVersion)
        case packageUploaded(name: String, bytes: Int)
        case packageAlreadyOnCluster(name: String)
        case submitted(submissionID: String)
        case attached(submissionID: String, status: RayJobInfo.Status)
        case polled(status: RayJobInfo.Status, results: Int, units: Int)
        case stopRequested(submissionID: String)
    }

    public let settings: Settings
    let client: RayJobsClient
    let sleep: @Sendable (Duration) async throws -> Void
    /// Returns when the user interrupts (Ctrl-C); never returning means never interrupted.
    let interrupted: @Sendable () async -> Void
    let events: @Sendable (Event) -> Void

    public init(settings: Settings, http: HTTPClient,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                interrupted: @escaping @Sendable () async -> Void,
                events: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.settings = settings
        client = RayJobsClient(client: http, address: settings.address, token: settings.token, sleep: sleep)
        self.sleep = sleep
        self.interrupted = interrupted
        self.events = events
    }

    public func run(_ units: [SweepUnit], onResult: @escaping @Sendable (SweepUnitResult) async -> Void) async throws(SweepError) {
        let version = try await client.version()
        guard version.isSupported else {
            throw SweepError(.ray, "\(settings.address) runs Ray \(version.rayVersion) (Jobs API \(version.apiVersion)); qt sweep needs Ray 2.9 or later")
        }
        events(.connected(version))
        let package = try RayJobPackage.build(units: units, executable: settings.executable, libraries: settings.libraries,
                                              maxRetries: settings.maxRetries)
        if try await client.packageExists(package.name) {
            events(.packageAlreadyOnCluster(name: package.name))
        } else {
            try await client.uploadPackage(package.name, bytes: package.bytes)
            events(.packageUploaded(name: package.name, bytes: package.bytes.count))
        }
        let submissionID = try await submitOrAttach(package: package)

        enum Ending: Sendable {
            case finished(Result<Void, SweepError>)
            case interrupted
        }
        let ending: Ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                do throws(SweepError) { try await poll(submissionID, units: units, onResult: onResult) } catch {
                    return .finished(.failure(error))
                }
                return .finished(.success(()))
            }
            group.addTask {
                await interrupted()
                return .interrupted
            }
            let first = await group.next() ?? .interrupted
            group.cancelAll()
            return first
        }
        switch ending {
        case .finished(let result):
            try result.get()
        case .interrupted:
            events(.stopRequested(submissionID: submissionID))
            _ = try await client.stop(submissionID)
            for _ in 0..<30 {
                if let job = try await client.job(submissionID), job.status.isTerminal { break }
                try? await sleep(.seconds(1))
            }
            throw SweepError(.interrupted, "interrupted; Ray job \(submissionID) was asked to stop")
        }
    }

    /// The submission id this sweep runs under: a new job, or the one already running or done.
    private func submitOrAttach(package: RayJobPackage) async throws(SweepError) -> String {
        let base = "qt-sweep-\(settings.sweepName)-\(package.digest.prefix(12))"
        for attempt in 1...20 {
            let id = attempt == 1 ? base : "\(base)-\(attempt)"
            if let existing = try await client.job(id) {
                if existing.status == .failed || existing.status == .stopped { continue }
                events(.attached(submissionID: id, status: existing.status))
                return id
            }
            let outcome = try await client.submit(
                submissionID: id, entrypoint: "\(settings.python) \(RayDriverScript.fileName) units.json",
                workingDirectory: package.uri, environment: [:],
                metadata: ["qt_sweep": settings.sweepName, "qt_package": package.name], entrypointCPUs: 0)
            switch outcome {
            case .submitted:
                events(.submitted(submissionID: id))
                return id
            case .alreadyExists:
                // Submitted by someone else between our look and our submit: look again.
                if let existing = try await client.job(id), existing.status != .failed && existing.status != .stopped {
                    events(.attached(submissionID: id, status: existing.status))
                    return id
                }
            }
        }
        throw SweepError(.ray, "20 earlier jobs of this sweep failed or were stopped (\(base)…); look at them on the dashboard")
    }

    /// Polls until the job ends, handing over each unit's result once.
    private func poll(_ submissionID: String, units: [SweepUnit], onResult: @escaping @Sendable (SweepUnitResult) async -> Void) async throws(SweepError) {
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        var delivered: Set<String> = []
        while true {
            guard let job = try await client.job(submissionID) else {
                throw SweepError(.ray, "Ray no longer knows job \(submissionID)")
            }
            let logs = try await client.logs(submissionID)
            for result in RayResultLine.parse(logs: logs, units: byID) where !delivered.contains(result.unit.id) {
                delivered.insert(result.unit.id)
                await onResult(result)
            }
            events(.polled(status: job.status, results: delivered.count, units: units.count))
            if job.status.isTerminal {
                let missing = units.map(\.id).filter { !delivered.contains($0) }
                if job.status == .succeeded && missing.isEmpty { return }
                let tail = logs.split(separator: "\n").suffix(5).joined(separator: " | ")
                throw SweepError(job.status == .stopped ? .interrupted : .incomplete,
                                 "Ray job \(submissionID) \(job.status.rawValue.lowercased())"
                                 + (job.message.isEmpty ? "" : " (\(job.message))")
                                 + (missing.isEmpty ? "" : "; no result for \(missing.count) unit(s): \(missing.prefix(5).joined(separator: ", "))")
                                 + (tail.isEmpty ? "" : "; log ends: \(tail)"))
            }
            do { try await sleep(settings.pollInterval) } catch { return }
        }
    }
}

/// A result line of the driver in the job's logs:
/// `QT_SWEEP_RESULT u001 ok {…}` / `QT_SWEEP_RESULT u001 failed "reason"`.
enum RayResultLine {
    static let marker = "QT_SWEEP_RESULT "

    /// Every result line of `logs` for a known unit (other lines are Ray's own output).
    static func parse(logs: String, units: [String: SweepUnit]) -> [SweepUnitResult] {
        var results: [SweepUnitResult] = []
        for line in logs.split(whereSeparator: \.isNewline) {
            guard let start = line.range(of: marker) else { continue }
            let parts = line[start.upperBound...].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count == 3, let unit = units[String(parts[0])] else { continue }
            let payload = String(parts[2])
            switch parts[1] {
            case "ok" where SweepUnitResult.validJSONObject(payload):
                results.append(SweepUnitResult(unit: unit, outcome: .succeeded(json: payload)))
            case "failed":
                let reason = (try? JSONSerialization.jsonObject(with: Data(payload.utf8), options: [.fragmentsAllowed])) as? String ?? payload
                results.append(SweepUnitResult(unit: unit, outcome: .failed(reason: reason)))
            default:
                results.append(SweepUnitResult(unit: unit, outcome: .failed(reason: "unreadable result line: \(payload.prefix(200))")))
            }
        }
        return results
    }
}
