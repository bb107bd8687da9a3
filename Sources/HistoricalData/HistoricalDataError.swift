/// Why a download failed. Each case names the URL or file and what was wrong; nothing was written
/// to the output folder for the dataset it belongs to.
public struct HistoricalDataError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// An HTTP status that is neither success, 404 nor retryable.
        case httpStatus = "HTTP error"
        /// Retries exhausted on 429/418/5xx, timeouts or broken connections.
        case retriesExhausted = "gave up after retries"
        /// The archive's SHA-256 never matched its `.CHECKSUM`.
        case checksumMismatch = "checksum mismatch"
        /// A `.CHECKSUM` file that is not `<64 hex digits>  <file name>`.
        case badChecksumFile = "bad .CHECKSUM file"
        /// A zip that does not open or does not hold one CSV.
        case badArchive = "bad archive"
        /// A CSV row or REST answer that is not a kline / funding row.
        case badRow = "bad row"
        /// A REST answer that is not the expected JSON.
        case badResponse = "bad REST answer"
        /// Reading or writing a local file failed.
        case io = "file error"
        /// The request itself is wrong (dates, symbols, URLs).
        case invalidRequest = "invalid request"
        /// The file written does not pass `qt`'s reader.
        case invalidOutput = "written file does not validate"
    }

    public var kind: Kind
    /// URL, file path or `file:line` the problem belongs to.
    public var source: String
    public var detail: String

    public init(_ kind: Kind, source: String, detail: String) {
        self.kind = kind
        self.source = source
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(source): \(detail)" }
}
