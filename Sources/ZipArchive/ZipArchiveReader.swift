/// Reads a zip archive held in memory: the central directory, then each entry inflated and its
/// CRC-32 and size checked.
///
/// Handles what Binance's public data archive and common tools write: stored and deflate
/// entries, data descriptors (sizes taken from the central directory), archive comments. Refuses
/// with a typed error (never traps) ZIP64, encrypted entries, multi-disk archives and anything cut
/// short or pointing outside the data.
public struct ZipArchiveReader: Sendable {
    public let entries: [ZipEntry]
    private let bytes: [UInt8]

    private static let endOfDirectorySignature: UInt32 = 0x0605_4B50
    private static let directorySignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    public init(bytes: [UInt8]) throws(ZipArchiveError) {
        self.bytes = bytes
        let cursor = ByteCursor(bytes: bytes)
        let end = try Self.findEndOfDirectory(cursor)
        let disk = try cursor.uint16(at: end + 4)
        let directoryDisk = try cursor.uint16(at: end + 6)
        let count = Int(try cursor.uint16(at: end + 10))
        let directorySize = try cursor.uint32(at: end + 12)
        let directoryOffset = try cursor.uint32(at: end + 16)
        guard disk == 0, directoryDisk == 0 else { throw ZipArchiveError(.unsupported, detail: "multi-disk archive") }
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw ZipArchiveError(.unsupported, detail: "ZIP64 archive")
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(count)
        var offset = Int(directoryOffset)
        for _ in 0..<count {
            guard try cursor.uint32(at: offset) == Self.directorySignature else {
                throw ZipArchiveError(.truncated, detail: "central directory entry \(entries.count + 1) has no signature at byte \(offset)")
            }
            let madeBy = try cursor.uint16(at: offset + 4)
            let flags = try cursor.uint16(at: offset + 8)
            let method = try cursor.uint16(at: offset + 10)
            let crc = try cursor.uint32(at: offset + 16)
            let compressed = try cursor.uint32(at: offset + 20)
            let uncompressed = try cursor.uint32(at: offset + 24)
            let nameLength = Int(try cursor.uint16(at: offset + 28))
            let extraLength = Int(try cursor.uint16(at: offset + 30))
            let commentLength = Int(try cursor.uint16(at: offset + 32))
            let external = try cursor.uint32(at: offset + 38)
            let localOffset = try cursor.uint32(at: offset + 42)
            let name = String(decoding: try cursor.slice(at: offset + 46, count: nameLength), as: UTF8.self)
            if flags & 0x1 != 0 { throw ZipArchiveError(.unsupported, entry: name, detail: "encrypted entry") }
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw ZipArchiveError(.unsupported, entry: name, detail: "ZIP64 entry")
            }
            let isUnix = madeBy >> 8 == 3
            entries.append(ZipEntry(
                name: name, method: method, compressedSize: Int(compressed), uncompressedSize: Int(uncompressed),
                crc32: crc, unixMode: isUnix ? (external >> 16) & 0o7777 : nil, localHeaderOffset: Int(localOffset)))
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The entry called `name`, if present.
    public func entry(named name: String) -> ZipEntry? { entries.first { $0.name == name } }

    /// The entry's bytes, inflated, with size and CRC-32 checked against the directory.
    public func contents(of entry: ZipEntry) throws(ZipArchiveError) -> [UInt8] {
        let cursor = ByteCursor(bytes: bytes)
        let header = entry.localHeaderOffset
        guard try cursor.uint32(at: header) == Self.localHeaderSignature else {
            throw ZipArchiveError(.truncated, entry: entry.name, detail: "no local header at byte \(header)")
        }
        let nameLength = Int(try cursor.uint16(at: header + 26))
        let extraLength = Int(try cursor.uint16(at: header + 28))
        let data = try cursor.slice(at: header + 30 + nameLength + extraLength, count: entry.compressedSize)
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw ZipArchiveError(.truncated, entry: entry.name, detail: "stored entry with different sizes")
            }
            output = Array(data)
        case 8:
            output = try RawDeflate.inflate(data, expectedSize: entry.uncompressedSize, entry: entry.name)
        default:
            throw ZipArchiveError(.unsupported, entry: entry.name, detail: "compression method \(entry.method)")
        }
        let crc = RawDeflate.crc32(output[...])
        guard crc == entry.crc32 else {
            throw ZipArchiveError(.checksumMismatch, entry: entry.name,
                                  detail: "data has CRC-32 \(hex(crc)), directory says \(hex(entry.crc32))")
        }
        return output
    }

    /// The end-of-central-directory record is the last 22 bytes plus an optional comment of up
    /// to 65535 bytes; search backwards for its signature.
    private static func findEndOfDirectory(_ cursor: ByteCursor) throws(ZipArchiveError) -> Int {
        let count = cursor.bytes.count
        guard count >= 22 else { throw ZipArchiveError(.notAZip, detail: "\(count) bytes, shorter than an empty zip") }
        let lowest = max(0, count - 22 - 0xFFFF)
        var offset = count - 22
        while offset >= lowest {
            if try cursor.uint32(at: offset) == endOfDirectorySignature,
               Int(try cursor.uint16(at: offset + 20)) == count - offset - 22 {
                return offset
            }
            offset -= 1
        }
        throw ZipArchiveError(.notAZip, detail: "no end-of-central-directory record")
    }

    private func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }
}
