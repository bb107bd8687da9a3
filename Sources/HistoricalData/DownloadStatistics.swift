import Synchronization

/// Counters of one download run (requests, retries, bytes, resumed bytes, checksum refetches),
/// shared by the concurrent fetches.
public final class DownloadStatistics: Sendable {
    public struct Snapshot: Sendable, Hashable {
        public var requests = 0
        public var retries = 0
        public var downloadedBytes: Int64 = 0
        public var resumedBytes: Int64 = 0
        /// Archive files fetched again because their SHA-256 did not match the `.CHECKSUM`.
        public var checksumRefetches = 0
        /// Archive files taken from the local cache after their checksum matched.
        public var cachedFiles = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func add(requests: Int = 0, retries: Int = 0, downloadedBytes: Int64 = 0, resumedBytes: Int64 = 0,
             checksumRefetches: Int = 0, cachedFiles: Int = 0) {
        state.withLock {
            $0.requests += requests
            $0.retries += retries
            $0.downloadedBytes += downloadedBytes
            $0.resumedBytes += resumedBytes
            $0.checksumRefetches += checksumRefetches
            $0.cachedFiles += cachedFiles
        }
    }
}
