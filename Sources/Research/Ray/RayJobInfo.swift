/// A Ray job's state as `GET /api/jobs/{id}` reports it.
public struct RayJobInfo: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case pending = "PENDING"
        case running = "RUNNING"
        case stopped = "STOPPED"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"

        /// The job will not change any more.
        public var isTerminal: Bool { self == .stopped || self == .succeeded || self == .failed }
    }

    public var submissionID: String
    public var status: Status
    /// Ray's message (why it failed, what it waits for).
    public var message: String
}

/// `GET /api/version`: the Jobs API version and the cluster's Ray version.
public struct RayVersion: Sendable, Hashable {
    public var apiVersion: String
    public var rayVersion: String

    /// Ray versions this client has been tested against start at 2.9 (Jobs REST API with
    /// `submission_id`, `/api/packages`, `entrypoint_num_cpus`).
    public var isSupported: Bool {
        let parts = rayVersion.split(separator: ".").compactMap { Int($0.prefix { $0.isNumber }) }
        guard parts.count >= 2 else { return false }
        return parts[0] > 2 || (parts[0] == 2 && parts[1] >= 9)
    }
}
