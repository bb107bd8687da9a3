import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a gzip or plain text file one line at a time through one fixed buffer.
///
/// zlib's `gzread` decides by content: gzip data is inflated incrementally, anything else is read
/// as is. A name ending in `.gz` whose content is not gzip is rejected (`notGzip`). A gzip stream
/// that ends early is reported as `truncatedCompression` (zlib's "unexpected end of file"), a
/// damaged one as `corruptCompression`. The file is opened read-only; nothing is ever written.
///
/// Not `Sendable`: it owns a C file handle and a mutable buffer. Use it from one task.
final class TextLineReader {
    /// Path as given, used in every error.
    let path: String
    /// True when the content is gzip (as opposed to plain text).
    private(set) var isCompressed = false
    /// 1-based number of the line most recently returned.
    private(set) var lineNumber = 0

    private let file: gzFile
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Unconsumed bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var reachedEnd = false

    /// Opens `path` for reading. `bufferSize` bounds the longest line.
    init(path: String, bufferSize: Int = 1 << 18) throws(CandleDataError) {
        self.path = path
        guard let handle = gzopen(path, "rb") else {
            throw CandleDataError(.cannotOpen, file: path, detail: TextLineReader.systemErrorText())
        }
        gzbuffer(handle, UInt32(1 << 17))
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
        file = handle
        // gzdirect is only meaningful after zlib has looked at the first bytes; fill once first.
        // (Every stored property is set by now, so a throw below runs deinit, which cleans up.)
        try fill()
        isCompressed = gzdirect(handle) == 0
        if !isCompressed && path.hasSuffix(".gz") && end > 0 {
            throw CandleDataError(.notGzip, file: path, detail: "name ends in .gz but the content is not gzip")
        }
    }

    deinit {
        buffer.deallocate()
        gzclose(file)
    }

    /// The next line without its `\n` (and without a trailing `\r`), or nil at the end of the file.
    /// The bytes are valid only until the next call. A last line without `\n` is returned as is.
    func nextLine() throws(CandleDataError) -> UnsafeBufferPointer<UInt8>? {
        while true {
            let available = end - start
            if available > 0, let newline = memchr(buffer + start, 0x0A, available) {
                let lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                return takeLine(upTo: lineEnd, consuming: lineEnd + 1)
            }
            if reachedEnd {
                guard available > 0 else { return nil }
                return takeLine(upTo: end, consuming: end)
            }
            if start > 0 {
                if available > 0 { memmove(buffer, buffer + start, available) }
                start = 0
                end = available
            }
            guard end < capacity else {
                throw CandleDataError(.lineTooLong, file: path, line: lineNumber + 1,
                                      detail: "no line break within \(capacity) bytes")
            }
            try fill()
        }
    }

    private func takeLine(upTo lineEnd: Int, consuming next: Int) -> UnsafeBufferPointer<UInt8> {
        var last = lineEnd
        if last > start && buffer[last - 1] == 0x0D { last -= 1 }
        let line = UnsafeBufferPointer(start: buffer + start, count: last - start)
        start = next
        lineNumber += 1
        return line
    }

    /// Reads more bytes after `end`; sets `reachedEnd` at a clean end, throws on damage.
    private func fill() throws(CandleDataError) {
        let wanted = UInt32(capacity - end)
        let count = gzread(file, buffer + end, wanted)
        if count > 0 {
            end += Int(count)
            return
        }
        var code: Int32 = Z_OK
        var message = gzerror(file, &code).map { String(cString: $0) } ?? ""
        if message.hasPrefix(path + ": ") { message.removeFirst(path.count + 2) }
        if count < 0 || (code != Z_OK && code != Z_BUF_ERROR) {
            let detail = code == Z_ERRNO ? TextLineReader.systemErrorText() : message
            throw CandleDataError(.corruptCompression, file: path, line: lineNumber + 1, detail: detail)
        }
        if code == Z_BUF_ERROR {
            throw CandleDataError(.truncatedCompression, file: path, line: lineNumber + 1,
                                  detail: message.isEmpty ? "unexpected end of file" : message)
        }
        reachedEnd = true
    }

    private static func systemErrorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}
