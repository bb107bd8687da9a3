/// Why a zip archive could not be read or written. Every case names what was wrong so a caller
/// can say which file (and which entry) is bad.
public struct ZipArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// No end-of-central-directory record: not a zip, or cut short.
        case notAZip = "not a zip archive"
        /// A record points outside the data or has the wrong signature.
        case truncated = "truncated or damaged archive"
        /// ZIP64, encryption, multi-disk or a compression method other than stored/deflate.
        case unsupported = "unsupported zip feature"
        /// The compressed data does not inflate.
        case corruptData = "corrupt compressed data"
        /// The inflated data's CRC-32 or size differs from the directory's.
        case checksumMismatch = "CRC-32 mismatch"
        /// An entry larger than the 4 GiB a plain zip can describe, or too many entries.
        case tooLarge = "entry too large for a plain zip"
        /// zlib refused to start (out of memory).
        case zlib = "zlib error"
    }

    public var kind: Kind
    /// The entry's name when the problem belongs to one entry.
    public var entry: String?
    public var detail: String

    public init(_ kind: Kind, entry: String? = nil, detail: String) {
        self.kind = kind
        self.entry = entry
        self.detail = detail
    }

    public var description: String {
        var text = kind.rawValue
        if let entry { text += " in entry '\(entry)'" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
