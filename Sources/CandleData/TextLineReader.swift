import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a gzip or plain text file one line at a time through one fixed buffer.
///
/// Only a regular file is read: a directory, device or pipe is refused (`notRegularFile`) before
/// a byte is read from it. The content decides the format: a file starting with the gzip magic
/// bytes is inflated incrementally (several gzip members in a row are read as one stream, as
/// `gzip -d` does), anything else is read as is. A name ending in `.gz` whose content is not
/// gzip is rejected (`notGzip`); a gzip stream that ends early is `truncatedCompression`, a
/// damaged one `corruptCompression`, and bytes after the last member that are not another member
/// are `trailingData` — never silently ignored. The file is opened read-only; nothing is written.
///
/// Not `Sendable`: it owns a file descriptor, zlib state and mutable buffers. Use it from one task.
final class TextLineReader {
    /// Path as given, used in every error.
    let path: String
    /// True when the content is gzip (as opposed to plain text).
    let isCompressed: Bool
    /// 1-based number of the line most recently returned.
    private(set) var lineNumber = 0

    private let descriptor: Int32
    /// Decompressed (or plain) bytes; unconsumed bytes are `buffer[start..<end]`.
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var start = 0
    private var end = 0
    private var reachedEnd = false
    /// Compressed input (gzip only): `input[inputStart..<inputEnd]` is not yet given to zlib.
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 17
    private var inputEnd = 0
    private var inputExhausted = false
    /// zlib's stream; heap-allocated because zlib keeps a pointer back to it.
    private let stream: UnsafeMutablePointer<z_stream>
    private var streamReady = false
    /// Total bytes of the file consumed so far (for the offset in `trailingData`).
    private var fileOffset = 0

    /// Opens `path` for reading. `bufferSize` bounds the longest line.
    init(path: String, bufferSize: Int = 1 << 18) throws(CandleDataError) {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check refuses it next.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CandleDataError(.cannotOpen, file: path, detail: TextLineReader.systemErrorText())
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let detail = TextLineReader.systemErrorText()
            close(descriptor)
            throw CandleDataError(.cannotOpen, file: path, detail: detail)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw CandleDataError(.notRegularFile, file: path,
                                  detail: "\(TextLineReader.describe(fileType: status.st_mode & S_IFMT)), not a data file")
        }
        self.descriptor = descriptor
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
        input = .allocate(capacity: inputCapacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Look at the first two bytes: the gzip magic decides the format.
        var head = 0
        while head < 2 {
            let count = read(descriptor, input + head, inputCapacity - head)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            head += count
        }
        inputEnd = head
        isCompressed = head >= 2 && input[0] == 0x1F && input[1] == 0x8B
        // (Every stored property is set by now, so a throw below runs deinit, which cleans up.)
        if isCompressed {
            try startMember()
        } else {
            if path.hasSuffix(".gz") && head > 0 {
                throw CandleDataError(.notGzip, file: path, detail: "name ends in .gz but the content is not gzip")
            }
            // Plain text: the bytes already read are the start of the text.
            memcpy(buffer, input, head)
            end = head
            fileOffset = head
        }
    }

    deinit {
        if streamReady { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        buffer.deallocate()
        close(descriptor)
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

    /// Adds bytes after `end`; sets `reachedEnd` at a clean end of the file, throws on damage.
    private func fill() throws(CandleDataError) {
        if isCompressed { return try inflateMore() }
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count < 0 {
                if errno == EINTR { continue }
                throw CandleDataError(.cannotOpen, file: path, line: lineNumber + 1, detail: TextLineReader.systemErrorText())
            }
            if count == 0 { reachedEnd = true } else { end += count; fileOffset += count }
            return
        }
    }

    /// Inflates until some output is produced or the last member ended.
    private func inflateMore() throws(CandleDataError) {
        while true {
            if stream.pointee.avail_in == 0 && !inputExhausted { try readInput() }
            let room = capacity - end
            stream.pointee.next_out = buffer + end
            stream.pointee.avail_out = UInt32(room)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = room - Int(stream.pointee.avail_out)
            end += produced
            switch code {
            case Z_STREAM_END:
                try afterMember()
                if reachedEnd || produced > 0 { return }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return }
                if code == Z_BUF_ERROR && stream.pointee.avail_in > 0 {
                    throw CandleDataError(.corruptCompression, file: path, line: lineNumber + 1, detail: "zlib made no progress")
                }
                if stream.pointee.avail_in == 0 && inputExhausted {
                    throw CandleDataError(.truncatedCompression, file: path, line: lineNumber + 1, detail: "unexpected end of file")
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw CandleDataError(.corruptCompression, file: path, line: lineNumber + 1, detail: message)
            }
        }
    }

    /// A gzip member ended: the file ends here, another member follows, or the rest is refused.
    private func afterMember() throws(CandleDataError) {
        if stream.pointee.avail_in == 0 && !inputExhausted { try readInput() }
        if stream.pointee.avail_in == 0 {
            reachedEnd = true
            return
        }
        if stream.pointee.avail_in == 1 && !inputExhausted {
            // One byte left in the buffer: move it to the front and read more to see the magic.
            input[0] = stream.pointee.next_in[0]
            inputEnd = 1
            try readInput(keeping: 1)
        }
        let next = stream.pointee.next_in!
        let remaining = Int(stream.pointee.avail_in)
        if remaining >= 2 && next[0] == 0x1F && next[1] == 0x8B {
            guard inflateReset(stream) == Z_OK else {
                throw CandleDataError(.corruptCompression, file: path, line: lineNumber + 1, detail: "cannot restart zlib")
            }
            return
        }
        let offset = fileOffset - remaining
        throw CandleDataError(.trailingData, file: path, line: lineNumber + 1,
                              detail: "bytes after the end of the gzip data at byte offset \(offset) are not another gzip member")
    }

    /// Sets up zlib for a gzip member whose first bytes are in `input[0..<inputEnd]`.
    private func startMember() throws(CandleDataError) {
        // 15 + 16: a 32 KiB window, gzip wrapper only.
        let code = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            throw CandleDataError(.corruptCompression, file: path, detail: "cannot start zlib (code \(code))")
        }
        streamReady = true
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(inputEnd)
        fileOffset = inputEnd
    }

    /// Refills `input` after its first `kept` bytes (already there) and hands it to zlib.
    private func readInput(keeping kept: Int = 0) throws(CandleDataError) {
        var filled = kept
        while filled < inputCapacity {
            let count = read(descriptor, input + filled, inputCapacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw CandleDataError(.cannotOpen, file: path, line: lineNumber + 1, detail: TextLineReader.systemErrorText())
            }
            if count == 0 {
                inputExhausted = true
                break
            }
            filled += count
            fileOffset += count
            if filled > kept { break }
        }
        inputEnd = filled
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(filled)
    }

    /// "a directory", "a character device", … for a `stat` file type.
    static func describe(fileType type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    private static func systemErrorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}
