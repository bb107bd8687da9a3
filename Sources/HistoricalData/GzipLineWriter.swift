import CZlib

/// Writes text lines to a gzip file through zlib (`gzopen`, level 6).
final class GzipLineWriter {
    let path: String
    private var file: gzFile?

    init(path: String) throws(HistoricalDataError) {
        self.path = path
        guard let handle = gzopen(path, "wb6") else {
            throw HistoricalDataError(.io, source: path, detail: "cannot create gzip file")
        }
        gzbuffer(handle, UInt32(1 << 17))
        file = handle
    }

    deinit { if let file { gzclose(file) } }

    /// Writes `line` and a newline.
    func write(_ line: String) throws(HistoricalDataError) {
        guard let file else { throw HistoricalDataError(.io, source: path, detail: "written after close") }
        var text = line
        text.append("\n")
        let written = text.withUTF8 { bytes in gzwrite(file, bytes.baseAddress, UInt32(bytes.count)) }
        guard written == Int32(text.utf8.count) else {
            throw HistoricalDataError(.io, source: path, detail: "gzwrite failed (disk full?)")
        }
    }

    /// Flushes and closes; an error here means the file is incomplete.
    func close() throws(HistoricalDataError) {
        guard let handle = file else { return }
        file = nil
        guard gzclose(handle) == Z_OK else { throw HistoricalDataError(.io, source: path, detail: "gzclose failed (disk full?)") }
    }
}

/// Owns a C file handle: one task only.
@available(*, unavailable)
extension GzipLineWriter: Sendable {}
