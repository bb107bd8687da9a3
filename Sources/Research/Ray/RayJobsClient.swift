import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Ray's Jobs REST API on the head's dashboard port (`http://HEAD:8265`), from Swift.
///
/// Calls: `GET /api/version`, `GET|PUT /api/packages/gcs/{name}`, `POST /api/jobs/`,
/// `GET /api/jobs/{id}`, `GET /api/jobs/{id}/logs`, `POST /api/jobs/{id}/stop`. With a token
/// (Ray's token authentication mode) every request carries `Authorization: Bearer <token>`; the
/// token is never logged or put in an error. Connection failures and 5xx answers are retried
/// a few times (a head under load answers late), other errors are reported with Ray's text.
public struct RayJobsClient: Sendable {
    let client: HTTPClient
    /// `http://127.0.0.1:8265`, no trailing slash.
    public let address: String
    let token: String?
    let attempts: Int
    let sleep: @Sendable (Duration) async throws -> Void

    public init(client: HTTPClient, address: String, token: String?, attempts: Int = 4,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        var trimmed = address
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.client = client
        self.address = trimmed
        self.token = token
        self.attempts = max(1, attempts)
        self.sleep = sleep
    }

    public func version() async throws(SweepError) -> RayVersion {
        let (status, body) = try await send(.GET, "/api/version")
        guard status == 200, let object = Self.object(body),
              let api = object["version"].map({ "\($0)" }), let ray = object["ray_version"] as? String
        else { throw SweepError(.ray, "\(address)/api/version: not a Ray Jobs API (HTTP \(status): \(Self.excerpt(body)))") }
        return RayVersion(apiVersion: api, rayVersion: ray)
    }

    public func packageExists(_ name: String) async throws(SweepError) -> Bool {
        let (status, body) = try await send(.GET, "/api/packages/gcs/\(name)")
        switch status {
        case 200: return true
        case 404: return false
        default: throw SweepError(.ray, "checking package \(name): HTTP \(status): \(Self.excerpt(body))")
        }
    }

    public func uploadPackage(_ name: String, bytes: [UInt8]) async throws(SweepError) {
        let (status, body) = try await send(.PUT, "/api/packages/gcs/\(name)", body: bytes, contentType: "application/octet-stream")
        guard (200..<300).contains(status) else {
            throw SweepError(.ray, "uploading package \(name) (\(bytes.count) bytes): HTTP \(status): \(Self.excerpt(body))")
        }
    }

    public enum SubmitOutcome: Sendable, Hashable {
        case submitted
        /// Ray already has a job with this submission id.
        case alreadyExists
    }

    /// Submits a job; a submission id Ray already knows is `alreadyExists`, not an error.
    public func submit(submissionID: String, entrypoint: String, workingDirectory: String, environment: [String: String],
                       metadata: [String: String], entrypointCPUs: Double) async throws(SweepError) -> SubmitOutcome {
        let request: [String: Any] = [
            "entrypoint": entrypoint,
            "submission_id": submissionID,
            "runtime_env": ["working_dir": workingDirectory, "env_vars": environment],
            "metadata": metadata,
            "entrypoint_num_cpus": entrypointCPUs,
        ]
        let body: [UInt8]
        do { body = [UInt8](try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])) } catch {
            throw SweepError(.ray, "cannot encode the job request: \(error)")
        }
        let (status, answer) = try await send(.POST, "/api/jobs/", body: body, contentType: "application/json", retryServerErrors: false)
        if (200..<300).contains(status) { return .submitted }
        let text = String(decoding: answer, as: UTF8.self)
        if (status == 400 || status == 409 || status == 500) && text.contains("already exists") { return .alreadyExists }
        throw SweepError(.ray, "submitting \(submissionID): HTTP \(status): \(Self.excerpt(answer))")
    }

    /// The job's state, nil when Ray has no job with that id.
    public func job(_ submissionID: String) async throws(SweepError) -> RayJobInfo? {
        let (status, body) = try await send(.GET, "/api/jobs/\(submissionID)")
        if status == 404 { return nil }
        guard status == 200, let object = Self.object(body), let text = object["status"] as? String else {
            throw SweepError(.ray, "job \(submissionID): HTTP \(status): \(Self.excerpt(body))")
        }
        guard let jobStatus = RayJobInfo.Status(rawValue: text) else {
            throw SweepError(.ray, "job \(submissionID): unknown status '\(text)'")
        }
        return RayJobInfo(submissionID: submissionID, status: jobStatus, message: object["message"] as? String ?? "")
    }

    /// The job's whole log so far (the driver's stdout and stderr).
    public func logs(_ submissionID: String) async throws(SweepError) -> String {
        let (status, body) = try await send(.GET, "/api/jobs/\(submissionID)/logs")
        guard status == 200, let object = Self.object(body), let logs = object["logs"] as? String else {
            throw SweepError(.ray, "logs of \(submissionID): HTTP \(status): \(Self.excerpt(body))")
        }
        return logs
    }

    /// Asks Ray to stop the job; true when Ray says it stopped it.
    public func stop(_ submissionID: String) async throws(SweepError) -> Bool {
        let (status, body) = try await send(.POST, "/api/jobs/\(submissionID)/stop")
        guard (200..<300).contains(status) else { throw SweepError(.ray, "stopping \(submissionID): HTTP \(status): \(Self.excerpt(body))") }
        return (Self.object(body)?["stopped"] as? Bool) ?? false
    }

    // MARK: - Transport

    private func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
                      retryServerErrors: Bool = true) async throws(SweepError) -> (Int, [UInt8]) {
        var lastProblem = ""
        for attempt in 1...attempts {
            var request = HTTPClientRequest(url: address + path)
            request.method = method
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            do {
                let response = try await client.execute(request, timeout: .seconds(body == nil ? 60 : 600))
                var collected = try await response.body.collect(upTo: 256 << 20)
                let bytes = collected.readBytes(length: collected.readableBytes) ?? []
                let status = Int(response.status.code)
                if status == 401 || status == 403 {
                    throw SweepError(.ray, "\(method) \(path): HTTP \(status): the cluster wants a token (QT_RAY_TOKEN or --key-file)")
                }
                if retryServerErrors && status >= 500 && attempt < attempts {
                    lastProblem = "HTTP \(status)"
                } else {
                    return (status, bytes)
                }
            } catch let error as SweepError {
                throw error
            } catch {
                if Task.isCancelled { throw SweepError(.interrupted, "\(method) \(path) cancelled") }
                lastProblem = "\(error)"
                if attempt == attempts { break }
            }
            do { try await sleep(.milliseconds(250 << min(attempt, 5))) } catch {
                throw SweepError(.interrupted, "\(method) \(path) cancelled")
            }
        }
        throw SweepError(.ray, "\(address)\(path): no answer after \(attempts) attempts (\(lastProblem))")
    }

    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(300), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty)" : text
    }
}
