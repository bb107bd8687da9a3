#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TradingModel

/// Reads a configuration file's text: a regular file of at most `ConfigDocument.maximumFileBytes`,
/// valid UTF-8. Every refusal is one `ConfigError` naming the file (and the line of a byte that
/// is not UTF-8). A directory, a device or a pipe is refused before anything is read from it.
enum ConfigFileReader {
    static func read(path: String, maximumBytes: Int) throws(ConfigError) -> String {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check refuses it next.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open: \(systemError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path, "cannot read: \(systemError())") }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else { throw failure(path, "is \(describe(fileType: type)), not a configuration file") }
        guard status.st_size <= maximumBytes else {
            throw failure(path, "larger than \(maximumBytes) bytes; not a configuration file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot read: \(systemError())")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= maximumBytes else {
                throw failure(path, "larger than \(maximumBytes) bytes; not a configuration file")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column, byte) = firstInvalidByte(bytes)
            throw ConfigError(kind: .unreadable, file: path, line: line, key: nil,
                              message: "not UTF-8 text (byte 0x\(hex(byte)) at column \(column))")
        }
        return text
    }

    /// "a directory", "a character device", … for a `stat` file type.
    static func describe(fileType type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// 1-based line and column (in bytes) of the first byte that does not decode, and the byte.
    private static func firstInvalidByte(_ bytes: [UInt8]) -> (line: Int, column: Int, byte: UInt8) {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes[index])
            if length > 0, index + length <= bytes.count {
                var decoder = UTF8()
                var iterator = bytes[index..<index + length].makeIterator()
                if case .scalarValue = decoder.decode(&iterator) {
                    if bytes[index] == UInt8(ascii: "\n") {
                        line += 1
                        lineStart = index + 1
                    }
                    index += length
                    continue
                }
            }
            return (line, index - lineStart + 1, bytes[index])
        }
        return (line, index - lineStart + 1, 0)
    }

    private static func sequenceLength(_ byte: UInt8) -> Int {
        switch byte {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    private static func failure(_ path: String, _ message: String) -> ConfigError {
        ConfigError(kind: .unreadable, file: path, line: nil, key: nil, message: message)
    }

    private static func systemError() -> String {
        let code = errno
        return strerror(code).map { String(cString: $0) } ?? "errno \(code)"
    }
}

/// POSIX `read` (a file-scope name: inside `ConfigFileReader`, `read` is the static method).
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
