extension String {
    /// Calls `body` with the string's UTF-8 bytes as one contiguous buffer (no per-byte
    /// decoding; a small or native string is not copied to the heap). For hot paths that build
    /// or check ids byte by byte.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
