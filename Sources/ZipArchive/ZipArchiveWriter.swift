/// Builds a zip archive in memory, deterministically: entries in the order added, a fixed
/// timestamp (1980-01-01 00:00), Unix permission bits in each entry (so an executable stays
/// executable when the archive is unpacked, e.g. by Ray for a job's working directory).
///
/// The same entries always give the same bytes, so the archive can be named by a hash of its
/// content.
public struct ZipArchiveWriter: Sendable {
    private var output: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    /// Entries at least this large are deflated at level 1 (speed) instead of 6.
    public var fastCompressionThreshold = 8 << 20

    public init() {}

    /// Adds a regular file. `unixMode` is the permission bits (`0o644`, `0o755`).
    public mutating func add(name: String, bytes: [UInt8], unixMode: UInt32 = 0o644) throws(ZipArchiveError) {
        guard bytes.count < Int(UInt32.max) - (1 << 16), output.count + directory.count < Int(UInt32.max) - (1 << 16) - bytes.count else {
            throw ZipArchiveError(.tooLarge, entry: name, detail: "\(bytes.count) bytes")
        }
        guard count < 0xFFFF else { throw ZipArchiveError(.tooLarge, entry: name, detail: "more than 65534 entries") }
        let crc = RawDeflate.crc32(bytes[...])
        let deflated = try RawDeflate.deflate(bytes, level: bytes.count >= fastCompressionThreshold ? 1 : 6)
        let stored = deflated.count >= bytes.count
        let data = stored ? bytes : deflated
        let method: UInt16 = stored ? 0 : 8
        let nameBytes = Array(name.utf8)
        let offset = UInt32(output.count)

        output.appendLittleEndian(UInt32(0x0403_4B50))
        output.appendLittleEndian(UInt16(20))           // version needed
        output.appendLittleEndian(UInt16(0x0800))       // flags: UTF-8 names
        output.appendLittleEndian(method)
        output.appendLittleEndian(UInt16(0))            // time 00:00
        output.appendLittleEndian(UInt16(0x0021))       // date 1980-01-01
        output.appendLittleEndian(crc)
        output.appendLittleEndian(UInt32(data.count))
        output.appendLittleEndian(UInt32(bytes.count))
        output.appendLittleEndian(UInt16(nameBytes.count))
        output.appendLittleEndian(UInt16(0))
        output.append(contentsOf: nameBytes)
        output.append(contentsOf: data)

        directory.appendLittleEndian(UInt32(0x0201_4B50))
        directory.appendLittleEndian(UInt16(0x031E))    // made by: Unix (3), spec 3.0
        directory.appendLittleEndian(UInt16(20))
        directory.appendLittleEndian(UInt16(0x0800))
        directory.appendLittleEndian(method)
        directory.appendLittleEndian(UInt16(0))
        directory.appendLittleEndian(UInt16(0x0021))
        directory.appendLittleEndian(crc)
        directory.appendLittleEndian(UInt32(data.count))
        directory.appendLittleEndian(UInt32(bytes.count))
        directory.appendLittleEndian(UInt16(nameBytes.count))
        directory.appendLittleEndian(UInt16(0))         // extra
        directory.appendLittleEndian(UInt16(0))         // comment
        directory.appendLittleEndian(UInt16(0))         // disk
        directory.appendLittleEndian(UInt16(0))         // internal attributes
        directory.appendLittleEndian((0o100000 | (unixMode & 0o7777)) << 16)   // regular file + mode
        directory.appendLittleEndian(offset)
        directory.append(contentsOf: nameBytes)
        count += 1
    }

    /// The finished archive.
    public func finish() -> [UInt8] {
        var archive = output
        let directoryOffset = UInt32(archive.count)
        archive.append(contentsOf: directory)
        archive.appendLittleEndian(UInt32(0x0605_4B50))
        archive.appendLittleEndian(UInt16(0))
        archive.appendLittleEndian(UInt16(0))
        archive.appendLittleEndian(UInt16(count))
        archive.appendLittleEndian(UInt16(count))
        archive.appendLittleEndian(UInt32(directory.count))
        archive.appendLittleEndian(directoryOffset)
        archive.appendLittleEndian(UInt16(0))
        return archive
    }
}
