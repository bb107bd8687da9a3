import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// GET requests to the archive and the REST API with the retry policy applied: small answers
/// into memory, archive files streamed to a `.part` file that a later attempt (or a later run)
/// resumes with a `Range` request.
///
/// 404 is an answer ("missing"), not an error. 429 and 418 wait the server's `Retry-After`;
/// 5xx, idle-read timeouts (a server that stops sending) and broken connections back off.
struct ArchiveHTTPClient: Sendable {
    let client: HTTPClient
    let retry: RetryPolicy
    /// Counts what happened, for the report and for tests.
    let statistics: DownloadStatistics

    enum SmallAnswer: Sendable {
        case found([UInt8])
        case missing
    }

    enum FileAnswer: Sendable {
        /// The `.part` file now holds the whole body; `resumedFrom` bytes were already there.
        case complete(resumedFrom: Int64)
        case missing
    }

    private enum Attempt<Value: Sendable>: Sendable {
        case done(Value)
        case retry(after: Duration?, reason: String)
    }

    /// The whole body of a small answer (at most `maxBytes`).
    func fetch(_ url: String, maxBytes: Int = 64 << 20) async throws(HistoricalDataError) -> SmallAnswer {
        try await withRetries(url) { () throws(HistoricalDataError) -> Attempt<SmallAnswer> in
            let response: HTTPClientResponse
            do {
                response = try await client.execute(HTTPClientRequest(url: url), timeout: .hours(1))
            } catch {
                return .retry(after: nil, reason: Self.describe(error))
            }
            if let decision = try Self.classify(response, url: url) {
                if case .missing = decision { return .done(.missing) }
                if case .retry(let after, let reason) = decision { return .retry(after: after, reason: reason) }
            }
            do {
                var body = try await response.body.collect(upTo: maxBytes)
                return .done(.found(body.readBytes(length: body.readableBytes) ?? []))
            } catch {
                return .retry(after: nil, reason: Self.describe(error))
            }
        }
    }

    /// Downloads `url` into `partPath`, continuing from the bytes already there.
    func download(_ url: String, to partPath: String) async throws(HistoricalDataError) -> FileAnswer {
        try await withRetries(url) { () throws(HistoricalDataError) -> Attempt<FileAnswer> in
            let existing = Self.fileSize(partPath)
            var request = HTTPClientRequest(url: url)
            if existing > 0 { request.headers.add(name: "Range", value: "bytes=\(existing)-") }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .hours(6))
            } catch {
                return .retry(after: nil, reason: Self.describe(error))
            }
            var append = false
            switch response.status.code {
            case 206 where existing > 0:
                let range = response.headers.first(name: "Content-Range") ?? ""
                guard range.hasPrefix("bytes \(existing)-") else {
                    // An answer for another range: start over rather than splice wrong bytes.
                    try Self.truncate(partPath)
                    return .retry(after: .zero, reason: "Content-Range '\(range)' does not continue at byte \(existing)")
                }
                append = true
            case 416 where existing > 0:
                // Nothing after what we hold: the part is complete (the checksum decides).
                return .done(.complete(resumedFrom: existing))
            default:
                if let decision = try Self.classify(response, url: url) {
                    if case .missing = decision { return .done(.missing) }
                    if case .retry(let after, let reason) = decision { return .retry(after: after, reason: reason) }
                }
            }
            if append { statistics.add(resumedBytes: existing) }
            do {
                let handle = try Self.openForWriting(partPath, append: append)
                defer { try? handle.close() }
                for try await chunk in response.body {
                    try handle.write(contentsOf: Data(chunk.readableBytesView))
                    statistics.add(downloadedBytes: Int64(chunk.readableBytes))
                }
            } catch let error as HistoricalDataError {
                throw error
            } catch {
                // Keep what arrived: the next attempt asks only for the rest.
                return .retry(after: nil, reason: Self.describe(error))
            }
            return .done(.complete(resumedFrom: append ? existing : 0))
        }
    }

    // MARK: - Retry loop

    private func withRetries<Value: Sendable>(
        _ url: String, _ attempt: () async throws(HistoricalDataError) -> Attempt<Value>
    ) async throws(HistoricalDataError) -> Value {
        var lastReason = ""
        for number in 1...retry.maxAttempts {
            statistics.add(requests: 1)
            switch try await attempt() {
            case .done(let value):
                return value
            case .retry(let after, let reason):
                lastReason = reason
                statistics.add(retries: 1)
                guard number < retry.maxAttempts else { break }
                do {
                    try await retry.sleep(retry.delay(afterAttempt: number, retryAfter: after, key: url))
                } catch {
                    throw HistoricalDataError(.retriesExhausted, source: url, detail: "cancelled while waiting to retry (\(reason))")
                }
            }
        }
        throw HistoricalDataError(.retriesExhausted, source: url, detail: "\(retry.maxAttempts) attempts, last: \(lastReason)")
    }

    private enum Decision {
        case missing
        case retry(after: Duration?, reason: String)
    }

    /// nil for success (2xx); otherwise missing, retry, or a thrown error for other 4xx.
    private static func classify(_ response: HTTPClientResponse, url: String) throws(HistoricalDataError) -> Decision? {
        let code = Int(response.status.code)
        switch code {
        case 200..<300:
            return nil
        case 404:
            return .missing
        case 429, 418:
            let seconds = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return .retry(after: seconds.map { .seconds(max(0, $0)) }, reason: "HTTP \(code)")
        case 500..<600, 408:
            return .retry(after: nil, reason: "HTTP \(code)")
        default:
            throw HistoricalDataError(.httpStatus, source: url, detail: "HTTP \(code) \(response.status.reasonPhrase)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError { return "\(client)" }
        return String(describing: error)
    }

    // MARK: - Files

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    }

    private static func truncate(_ path: String) throws(HistoricalDataError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw HistoricalDataError(.io, source: path, detail: "cannot remove: \(error.localizedDescription)")
        }
    }

    private static func openForWriting(_ path: String, append: Bool) throws(HistoricalDataError) -> FileHandle {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !append || !manager.fileExists(atPath: path) {
                guard manager.createFile(atPath: path, contents: nil) else {
                    throw HistoricalDataError(.io, source: path, detail: "cannot create")
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            if append { try handle.seekToEnd() }
            return handle
        } catch let error as HistoricalDataError {
            throw error
        } catch {
            throw HistoricalDataError(.io, source: path, detail: error.localizedDescription)
        }
    }
}
