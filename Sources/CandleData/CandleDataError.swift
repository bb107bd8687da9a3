import TradingModel

/// A candle or funding file that cannot be used, located as precisely as possible.
///
/// Every violation found while reading is one of these: the `kind` says what is wrong, `file`,
/// `line` (1-based, the header is line 1) and `field` (the header's column name) say where, and
/// `detail` carries the offending text or the values that disagree. File-level problems (cannot
/// open, corrupt compression) have no field; problems before any line is read have no line.
public struct CandleDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong. Payload-free so callers and tests can compare kinds directly.
    public enum Kind: String, Sendable, Hashable {
        /// The file could not be opened for reading.
        case cannotOpen
        /// The path names a directory, device, pipe or socket, not a regular file (refused unread).
        case notRegularFile
        /// The name says gzip (`.gz`) but the content is not gzip.
        case notGzip
        /// The gzip stream ends before its end marker and checksum (file cut short).
        case truncatedCompression
        /// The gzip stream is damaged (bad block, bad checksum, bad header).
        case corruptCompression
        /// Bytes follow the end of the gzip data that are not another gzip member.
        case trailingData
        /// A line is longer than the reader's buffer; no real kline row is.
        case lineTooLong
        /// The file has no header line at all.
        case emptyFile
        /// The header is not exactly the expected column list.
        case wrongHeader
        /// The header is the only line: a file without data is not valid data.
        case noRows
        /// A row has the wrong number of comma-separated fields.
        case fieldCount
        /// A required field is empty or not a plain decimal / integer.
        case unparsable
        /// A field is `NaN` or an infinity.
        case notFinite
        /// A well-formed number too large (or with too many digits) for its field: out of range.
        case outOfRange
        /// A price is zero or negative.
        case nonPositivePrice
        /// A volume, count or funding mark price is negative.
        case negativeValue
        /// `high < low`.
        case highBelowLow
        /// `low > min(open, close)`.
        case lowAboveOpenOrClose
        /// `high < max(open, close)`.
        case highBelowOpenOrClose
        /// `taker_buy_volume > volume`: takers cannot buy more than was traded.
        case takerVolumeAboveVolume
        /// A low below the instrument's minimum price (`CandleLimits`).
        case priceBelowMinimum
        /// A high above the instrument's maximum price (`CandleLimits`).
        case priceAboveMaximum
        /// The bar's range together with the previous close spans more than the allowed ratio
        /// (`CandleLimits.maximumBarRatio`): a price no market printed between two bars.
        case implausibleMove
        /// The row repeats the previous row's timestamp.
        case duplicateTimestamp
        /// The row's timestamp is earlier than the previous row's.
        case timeNotIncreasing
        /// The open time is off the interval's grid (`:30` seconds in a 1m file), or the step from
        /// the previous bar is not a whole number of intervals.
        case misalignedTime
        /// A funding rate whose magnitude is 100% or more: not a real funding rate.
        case rateOutOfRange
    }

    public var kind: Kind
    /// Path of the file as given to the reader.
    public var file: String
    /// 1-based line number (header = 1); nil for problems not tied to a line.
    public var line: Int?
    /// Column name from the expected header; nil for whole-line or whole-file problems.
    public var field: String?
    /// The offending text or the disagreeing values, for the human reading the message.
    public var detail: String

    public init(_ kind: Kind, file: String, line: Int? = nil, field: String? = nil, detail: String = "") {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.detail = detail
    }

    /// One line: `FILE:LINE: field NAME: kind: detail`. The file name is escaped (`DisplayText`);
    /// details quote file contents already escaped.
    public var description: String {
        var text = DisplayText.escaped(file)
        if let line { text += ":\(line)" }
        text += ":"
        if let field { text += " field \(field):" }
        text += " \(kind.rawValue)"
        if !detail.isEmpty { text += ": \(DisplayText.controlsEscaped(detail))" }
        return text
    }
}
