/// One file in a zip archive's central directory.
public struct ZipEntry: Sendable, Hashable {
    /// Path inside the archive (`/`-separated, as stored).
    public var name: String
    /// 0 = stored, 8 = deflate (the only two this reader inflates).
    public var method: UInt16
    public var compressedSize: Int
    public var uncompressedSize: Int
    public var crc32: UInt32
    /// Unix permission bits (`0o755`) when the archive was made on a Unix system, else nil.
    public var unixMode: UInt32?
    /// Offset of the entry's local header from the start of the archive.
    var localHeaderOffset: Int

    /// True for directory entries (`name` ends in `/`).
    public var isDirectory: Bool { name.hasSuffix("/") }
}
