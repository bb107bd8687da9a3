import CZlib

/// Raw deflate (no zlib or gzip wrapper), as zip entries store it, through the system zlib.
enum RawDeflate {
    /// Inflates `compressed`, which must produce exactly `expectedSize` bytes.
    static func inflate(_ compressed: ArraySlice<UInt8>, expectedSize: Int, entry: String) throws(ZipArchiveError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipArchiveError(.zlib, entry: entry, detail: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        // One spare byte so data longer than announced is noticed instead of silently cut.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        var compressedCopy = Array(compressed)
        let status: Int32 = compressedCopy.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        let produced = Int(stream.total_out)
        guard status == Z_STREAM_END else {
            let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw ZipArchiveError(.corruptData, entry: entry, detail: status == Z_BUF_ERROR && produced > expectedSize
                                  ? "inflates to more than the \(expectedSize) bytes the directory states" : message)
        }
        guard produced == expectedSize else {
            throw ZipArchiveError(.checksumMismatch, entry: entry, detail: "inflated to \(produced) bytes, directory says \(expectedSize)")
        }
        output.removeLast()
        return output
    }

    /// Deflates `bytes` at `level` (1 fastest … 9 smallest).
    static func deflate(_ bytes: [UInt8], level: Int32) throws(ZipArchiveError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipArchiveError(.zlib, detail: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ZipArchiveError(.zlib, detail: "deflate status \(status)") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// CRC-32 (the zip/gzip polynomial) of `bytes`.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt = CZlib.crc32(0, nil, 0)
        bytes.withUnsafeBufferPointer { buffer in
            var remaining = buffer.count
            var pointer = buffer.baseAddress
            while remaining > 0, let base = pointer {
                let chunk = min(remaining, Int(UInt32.max >> 1))
                crc = CZlib.crc32(crc, base, UInt32(chunk))
                pointer = base + chunk
                remaining -= chunk
            }
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
