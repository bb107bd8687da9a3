import TradingModel

/// Streams validated `Candle`s from a Binance kline CSV, gzip or plain, one row at a time.
///
/// ```swift
/// let reader = try CandleReader(path: "data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz")
/// while let candle = try reader.next() { ... }
/// let report = reader.report   // gaps, ranges; reachedEnd == true
/// ```
/// Header must be exactly `CandleReader.header`; an empty optional field (`quote_volume`,
/// `trades`, `taker_buy_volume`) becomes nil. Each row is checked as it is read (see
/// `CandleDataError.Kind`); the first violation is thrown and every later `next()` throws it
/// again, so a caller can never continue past bad data. Rows already returned before an error
/// came from a file that turned out bad: treat the whole file as unusable.
///
/// Memory is constant (one 256 KiB line buffer plus zlib's state); fields are parsed from bytes
/// straight into fixed point, with no `String` or `Double` per field. The file is only read.
/// Not `Sendable` (owns a file handle): create one per task.
public final class CandleReader {
    /// The exact header line of a kline file.
    public static let header = "open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume"
    /// Column names, in order; errors name fields with these.
    public static let fieldNames = header.split(separator: ",").map(String.init)

    /// Report so far; complete once `next()` has returned nil.
    public private(set) var report: CandleFileReport

    private let lines: TextLineReader
    private var scanner = FieldScanner(expectedCount: 9)
    private var previousOpenTime: Int64?
    private var failure: CandleDataError?
    private let intervalMilliseconds: Int64
    /// Open times must be multiples of this (0: not checked).
    private let gridMilliseconds: Int64
    /// Plausibility limits (`CandleLimits`) as raw values: 0 / `.max` / 0 when unset.
    private let minimumPriceRaw: Int64
    private let maximumPriceRaw: Int64
    private let maximumRatioRaw: Int64
    /// The previous row's close (0 before the first row), for the bar-to-bar ratio.
    private var previousCloseRaw: Int64 = 0

    /// Opens `path` and checks the header. The interval for gap detection is `interval` when
    /// given, else the one in the file name, else the most common step (one extra pass over the
    /// file, made only after the header proved it is a kline file). `limits`: the plausibility
    /// limits rows must meet (`CandleLimits`; the default checks the bar-to-bar ratio only).
    public init(path: String, interval: CandleInterval? = nil, limits: CandleLimits = .standard) throws(CandleDataError) {
        let name = DataFileName(path: path)
        let lines = try TextLineReader(path: path)
        try CandleReader.checkHeader(lines, expected: CandleReader.header)
        self.lines = lines
        var chosen = interval
        var source = CandleIntervalSource.given
        if chosen == nil, let fromName = name.interval {
            chosen = fromName
            source = .fileName
        }
        if chosen == nil {
            chosen = try CandleReader.mostCommonStep(path: path)
            source = chosen == nil ? .unknown : .inferred
        }
        report = CandleFileReport(path: path, symbol: name.symbol, interval: chosen, intervalSource: source)
        intervalMilliseconds = chosen?.milliseconds ?? 0
        // Bars of an interval that divides a day open on its grid (1m bars at :00 seconds);
        // longer bars (3d, 1w) are anchored to a weekday, which the step check still covers.
        gridMilliseconds = intervalMilliseconds > 0 && 86_400_000 % intervalMilliseconds == 0 ? intervalMilliseconds : 0
        minimumPriceRaw = limits.minimumPrice?.raw ?? 0
        maximumPriceRaw = limits.maximumPrice?.raw ?? .max
        maximumRatioRaw = limits.maximumBarRatio.map { max($0.raw, FixedPoint.scale) } ?? 0
    }

    /// The next candle, or nil at the end of a valid file. Throws the first violation found.
    public func next() throws(CandleDataError) -> Candle? {
        if let failure { throw failure }
        do throws(CandleDataError) {
            guard let line = try lines.nextLine() else {
                guard report.rowCount > 0 else {
                    throw CandleDataError(.noRows, file: lines.path, line: lines.lineNumber + 1,
                                          detail: "no data rows after the header")
                }
                report.reachedEnd = true
                return nil
            }
            return try parse(line)
        } catch {
            failure = error
            throw error
        }
    }

    /// Reads and validates the whole file into memory.
    public static func readAll(path: String, interval: CandleInterval? = nil,
                               limits: CandleLimits = .standard) throws(CandleDataError) -> CandleSeries {
        let reader = try CandleReader(path: path, interval: interval, limits: limits)
        var candles: [Candle] = []
        candles.reserveCapacity(1 << 16)
        while let candle = try reader.next() { candles.append(candle) }
        return CandleSeries(candles: candles, report: reader.report)
    }

    /// Reads and validates the whole file, keeping only the report (constant memory).
    public static func validate(path: String, interval: CandleInterval? = nil,
                                limits: CandleLimits = .standard) throws(CandleDataError) -> CandleFileReport {
        let reader = try CandleReader(path: path, interval: interval, limits: limits)
        while try reader.next() != nil {}
        return reader.report
    }

    // MARK: - Row parsing (hot path)

    private func parse(_ line: UnsafeBufferPointer<UInt8>) throws(CandleDataError) -> Candle {
        let fieldCount = scanner.split(line)
        guard fieldCount == 9 else {
            throw error(.fieldCount, field: nil, detail: "expected 9 fields, found \(fieldCount)")
        }
        guard let openTime = FieldParsing.parseInteger(scanner.field(0, of: line)) else {
            throw timeError(scanner.field(0, of: line))
        }
        let open = try price(line, 1)
        let high = try price(line, 2)
        let low = try price(line, 3)
        let close = try price(line, 4)
        guard let volume = try amount(line, 5, required: true) else { preconditionFailure("required field returned nil") }
        let quoteVolume = try amount(line, 6, required: false)
        let tradeCount = try count(line, 7)
        let takerBuyVolume = try amount(line, 8, required: false)

        if high < low {
            throw error(.highBelowLow, field: 2, detail: "high \(Price(raw: high)) < low \(Price(raw: low))")
        }
        if low > min(open, close) {
            throw error(.lowAboveOpenOrClose, field: 3,
                        detail: "low \(Price(raw: low)) > min(open \(Price(raw: open)), close \(Price(raw: close)))")
        }
        if high < max(open, close) {
            throw error(.highBelowOpenOrClose, field: 2,
                        detail: "high \(Price(raw: high)) < max(open \(Price(raw: open)), close \(Price(raw: close)))")
        }
        if let takerBuyVolume, takerBuyVolume > volume {
            throw error(.takerVolumeAboveVolume, field: 8,
                        detail: "taker buy volume \(Quantity(raw: takerBuyVolume)) > volume \(Quantity(raw: volume))")
        }
        try checkLimits(high: high, low: low)
        try advanceTime(to: openTime)
        previousCloseRaw = close

        report.rowCount += 1
        if report.lowestLow.map({ low < $0.raw }) ?? true { report.lowestLow = Price(raw: low) }
        if report.highestHigh.map({ high > $0.raw }) ?? true { report.highestHigh = Price(raw: high) }
        report.totalVolumeRaw += Int128(volume)
        return Candle(
            openTime: Timestamp(milliseconds: openTime),
            open: Price(raw: open), high: Price(raw: high), low: Price(raw: low), close: Price(raw: close),
            volume: Quantity(raw: volume),
            quoteVolume: quoteVolume.map { Money(raw: $0) },
            tradeCount: tradeCount,
            takerBuyVolume: takerBuyVolume.map { Quantity(raw: $0) })
    }

    /// The plausibility limits (`CandleLimits`): price bounds, then the bar-to-bar ratio.
    @inline(__always)
    private func checkLimits(high: Int64, low: Int64) throws(CandleDataError) {
        if low < minimumPriceRaw {
            throw error(.priceBelowMinimum, field: 3, detail: "low \(Price(raw: low)) is below the minimum price \(Price(raw: minimumPriceRaw))")
        }
        if high > maximumPriceRaw {
            throw error(.priceAboveMaximum, field: 2, detail: "high \(Price(raw: high)) is above the maximum price \(Price(raw: maximumPriceRaw))")
        }
        guard maximumRatioRaw > 0 else { return }
        let previous = previousCloseRaw > 0 ? previousCloseRaw : high
        let top = max(high, previous)
        let bottom = min(low, previousCloseRaw > 0 ? previousCloseRaw : low)
        // top / bottom ≤ ratio, without division: top × 10⁸ ≤ bottom × ratio (Int128, exact).
        guard Int128(top) * Int128(FixedPoint.scale) > Int128(bottom) * Int128(maximumRatioRaw) else { return }
        let ratio = Double(top) / Double(bottom)
        let ratioText = ratio < 1e6 ? String(Int64(ratio.rounded(.down))) : "more than 1000000"
        let highTooFar = previousCloseRaw == 0
            || Int128(high) * Int128(FixedPoint.scale) > Int128(previousCloseRaw) * Int128(maximumRatioRaw)
        let field = highTooFar ? 2 : 3
        let against = previousCloseRaw > 0 ? "from the previous close \(Price(raw: previousCloseRaw))" : "within the bar"
        throw error(.implausibleMove, field: field,
                    detail: "low \(Price(raw: low)) to high \(Price(raw: high)) spans \(ratioText)× \(against); "
                        + "at most \(Rate(raw: maximumRatioRaw))× is plausible between bars")
    }

    /// Checks ordering against the previous bar and records a gap when bars are missing.
    private func advanceTime(to openTime: Int64) throws(CandleDataError) {
        if gridMilliseconds > 0 && openTime % gridMilliseconds != 0 {
            throw error(.misalignedTime, field: 0,
                        detail: "\(openTime) is not on the \(CandleInterval(milliseconds: gridMilliseconds)!) grid (\(openTime % gridMilliseconds) ms past it)")
        }
        defer { previousOpenTime = openTime }
        guard let previous = previousOpenTime else {
            report.firstOpenTime = Timestamp(milliseconds: openTime)
            report.lastOpenTime = report.firstOpenTime
            return
        }
        if openTime == previous {
            throw error(.duplicateTimestamp, field: 0, detail: "\(openTime) repeats the previous row")
        }
        if openTime < previous {
            throw error(.timeNotIncreasing, field: 0, detail: "\(openTime) is before the previous row's \(previous)")
        }
        report.lastOpenTime = Timestamp(milliseconds: openTime)
        let step = openTime - previous
        guard intervalMilliseconds > 0, step != intervalMilliseconds else { return }
        guard step % intervalMilliseconds == 0 else {
            throw error(.misalignedTime, field: 0,
                        detail: "step \(step) ms from \(previous) is not a multiple of the \(intervalMilliseconds) ms interval")
        }
        report.gaps.append(CandleGap(
            firstMissingOpenTime: Timestamp(milliseconds: previous + intervalMilliseconds),
            lastMissingOpenTime: Timestamp(milliseconds: openTime - intervalMilliseconds),
            missingBarCount: step / intervalMilliseconds - 1))
    }

    @inline(__always)
    private func price(_ line: UnsafeBufferPointer<UInt8>, _ index: Int) throws(CandleDataError) -> Int64 {
        let bytes = scanner.field(index, of: line)
        guard let raw = FixedPoint.parse(utf8: bytes) else { throw numberError(bytes, index) }
        guard raw > 0 else { throw error(.nonPositivePrice, field: index, detail: FieldParsing.text(bytes)) }
        return raw
    }

    @inline(__always)
    private func amount(_ line: UnsafeBufferPointer<UInt8>, _ index: Int, required: Bool) throws(CandleDataError) -> Int64? {
        let bytes = scanner.field(index, of: line)
        if bytes.isEmpty && !required { return nil }
        guard let raw = FixedPoint.parse(utf8: bytes) else { throw numberError(bytes, index) }
        guard raw >= 0 else { throw error(.negativeValue, field: index, detail: FieldParsing.text(bytes)) }
        return raw
    }

    @inline(__always)
    private func count(_ line: UnsafeBufferPointer<UInt8>, _ index: Int) throws(CandleDataError) -> Int64? {
        let bytes = scanner.field(index, of: line)
        if bytes.isEmpty { return nil }
        if let value = FieldParsing.parseInteger(bytes) { return value }
        if bytes.first == UInt8(ascii: "-"), FieldParsing.parseInteger(UnsafeBufferPointer(rebasing: bytes.dropFirst())) != nil {
            throw error(.negativeValue, field: index, detail: FieldParsing.text(bytes))
        }
        if bytes.count > 18 && bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw error(.outOfRange, field: index, detail: "\(FieldParsing.text(bytes)) is out of range (at most 18 digits)")
        }
        throw error(.unparsable, field: index, detail: bytes.isEmpty ? "empty" : "'\(FieldParsing.text(bytes))'")
    }

    /// A time that is not a non-negative integer of at most 18 digits; a longer one is out of range.
    private func timeError(_ bytes: UnsafeBufferPointer<UInt8>) -> CandleDataError {
        if bytes.count > 18 && bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return error(.outOfRange, field: 0, detail: "\(FieldParsing.text(bytes)) is out of range for a millisecond time (at most 18 digits)")
        }
        return error(.unparsable, field: 0, detail: "not a millisecond time: '\(FieldParsing.text(bytes))'")
    }

    private func numberError(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> CandleDataError {
        if FieldParsing.isNonFiniteText(bytes) {
            return error(.notFinite, field: index, detail: FieldParsing.text(bytes))
        }
        if FieldParsing.isWellFormedNumber(bytes) {
            return error(.outOfRange, field: index, detail: "\(FieldParsing.text(bytes)) is out of range")
        }
        return error(.unparsable, field: index, detail: bytes.isEmpty ? "empty" : "'\(FieldParsing.text(bytes))'")
    }

    private func error(_ kind: CandleDataError.Kind, field: Int?, detail: String) -> CandleDataError {
        CandleDataError(kind, file: lines.path, line: lines.lineNumber,
                        field: field.map { CandleReader.fieldNames[$0] }, detail: detail)
    }
}

/// Owns a file handle and a mutable buffer: use from one task only.
@available(*, unavailable)
extension CandleReader: Sendable {}
