/// Up to 16 bytes stored inline (two words and a count): a trivially copyable byte buffer.
public struct InlineBytes16: Sendable, Hashable {
    @usableFromInline var low: UInt64 = 0
    @usableFromInline var high: UInt64 = 0
    /// Number of bytes stored (0…16).
    public private(set) var count: UInt8 = 0

    public init() {}

    /// Appends a byte; stops the program beyond 16.
    public mutating func append(_ byte: UInt8) {
        precondition(count < 16, "inline byte buffer overflow")
        let shift = UInt64(count % 8) * 8
        if count < 8 { low |= UInt64(byte) << shift } else { high |= UInt64(byte) << shift }
        count += 1
    }

    /// The byte at `index` (0 ..< count).
    public subscript(index: Int) -> UInt8 {
        let shift = UInt64(index % 8) * 8
        return UInt8(truncatingIfNeeded: (index < 8 ? low : high) >> shift)
    }
}
