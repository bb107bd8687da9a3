/// Little-endian reads from a byte array with bounds checks that throw instead of trapping.
struct ByteCursor {
    let bytes: [UInt8]

    func uint16(at offset: Int) throws(ZipArchiveError) -> UInt16 {
        try check(offset, 2)
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func uint32(at offset: Int) throws(ZipArchiveError) -> UInt32 {
        try check(offset, 4)
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    func slice(at offset: Int, count: Int) throws(ZipArchiveError) -> ArraySlice<UInt8> {
        try check(offset, count)
        return bytes[offset..<(offset + count)]
    }

    private func check(_ offset: Int, _ count: Int) throws(ZipArchiveError) {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw ZipArchiveError(.truncated, detail: "record at byte \(offset) runs past the end (\(bytes.count) bytes)")
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
