import Crypto

/// SHA-256 (swift-crypto) of streamed input as lowercase hex: data hashes, feature-vector hashes
/// and model versions. Integers are hashed as their 8 little-endian bytes, text as UTF-8. Not
/// `Sendable` (swift-crypto's hash state is not): a local value of one computation.
public struct ContentDigest {
    private var hasher = SHA256()

    public init() {}

    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    public mutating func update(_ value: Int64) {
        var little = value.littleEndian
        withUnsafeBytes(of: &little) { hasher.update(bufferPointer: $0) }
    }

    /// The digest as 64 lowercase hex digits.
    public func finalize() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in hasher.finalize() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Hex digest of `bytes`.
    public static func hex<S: Sequence>(of bytes: S) -> String where S.Element == UInt8 {
        var digest = ContentDigest()
        digest.update(bytes)
        return digest.finalize()
    }
}
