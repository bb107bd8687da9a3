import Crypto
import Foundation

/// Fetches one archive zip with its `.CHECKSUM`, verified, into the local cache.
///
/// The cache mirrors the archive's paths (`<cache>/data/futures/um/monthly/klines/…/X.zip`). A zip
/// already cached whose SHA-256 matches the current `.CHECKSUM` is used without downloading; a
/// `.part` left by an interrupted download is continued; a zip whose SHA-256 does not match is
/// deleted and fetched again from scratch (up to `RetryPolicy.maxChecksumAttempts`), then refused.
struct ArchiveFetcher: Sendable {
    let http: ArchiveHTTPClient
    let layout: ArchiveLayout
    let cacheDirectory: String

    enum Outcome: Sendable, Hashable {
        /// The verified zip on disk.
        case available(zipPath: String)
        /// The archive has no such file (404).
        case missing
    }

    func fetch(path: String) async throws(HistoricalDataError) -> Outcome {
        let url = layout.url(forPath: path)
        let fileName = (path as NSString).lastPathComponent
        let checksumText: String
        switch try await http.fetch(url + ".CHECKSUM", maxBytes: 4096) {
        case .missing: return .missing
        case .found(let bytes): checksumText = String(decoding: bytes, as: UTF8.self)
        }
        let checksum = try ChecksumFile(text: checksumText, expectedFileName: fileName, source: url + ".CHECKSUM")
        let zipPath = cacheDirectory + "/" + path
        let partPath = zipPath + ".part"

        if FileManager.default.fileExists(atPath: zipPath) {
            if try Self.sha256(ofFile: zipPath) == checksum.sha256 {
                http.statistics.add(cachedFiles: 1)
                return .available(zipPath: zipPath)
            }
            try Self.remove(zipPath)
        }
        var lastDigest = ""
        for attempt in 1...http.retry.maxChecksumAttempts {
            switch try await http.download(url, to: partPath) {
            case .missing:
                try Self.remove(partPath)
                return .missing
            case .complete:
                lastDigest = try Self.sha256(ofFile: partPath)
                if lastDigest == checksum.sha256 {
                    do {
                        try FileManager.default.moveItem(atPath: partPath, toPath: zipPath)
                    } catch {
                        throw HistoricalDataError(.io, source: zipPath, detail: "cannot move the verified download into place: \(error.localizedDescription)")
                    }
                    return .available(zipPath: zipPath)
                }
                // Refuse the bytes; the next attempt starts from scratch.
                try Self.remove(partPath)
                if attempt < http.retry.maxChecksumAttempts { http.statistics.add(checksumRefetches: 1) }
            }
        }
        throw HistoricalDataError(.checksumMismatch, source: url,
                                  detail: "SHA-256 \(lastDigest) after \(http.retry.maxChecksumAttempts) downloads, .CHECKSUM says \(checksum.sha256)")
    }

    /// Lower-case hex SHA-256 of a file, read in 1 MiB chunks.
    static func sha256(ofFile path: String) throws(HistoricalDataError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HistoricalDataError(.io, source: path, detail: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            throw HistoricalDataError(.io, source: path, detail: error.localizedDescription)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func remove(_ path: String) throws(HistoricalDataError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw HistoricalDataError(.io, source: path, detail: "cannot remove: \(error.localizedDescription)")
        }
    }
}
