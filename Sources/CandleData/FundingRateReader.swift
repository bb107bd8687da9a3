import TradingModel

/// Streams validated `FundingRate`s from a `funding_time_ms,funding_rate,mark_price` CSV
/// (gzip or plain). `mark_price` may be empty (nil).
///
/// Checks: exact header, 3 fields, strictly increasing time (a repeat is `duplicateTimestamp`),
/// finite rate with magnitude below 1 (100%), mark price positive when present. Funding times
/// carry the venue's millisecond jitter (`…00:00:00.017`) and the schedule (8h, 4h) varies by
/// symbol and era, so no gap detection here. Same failure rules as `CandleReader`: the first
/// violation is thrown and repeated on every later call. The file is only read.
public final class FundingRateReader {
    public static let header = "funding_time_ms,funding_rate,mark_price"
    public static let fieldNames = header.split(separator: ",").map(String.init)

    public private(set) var report: FundingFileReport

    private let lines: TextLineReader
    private var scanner = FieldScanner(expectedCount: 3)
    private var previousTime: Int64?
    private var failure: CandleDataError?

    public init(path: String) throws(CandleDataError) {
        report = FundingFileReport(path: path, symbol: DataFileName(path: path).symbol)
        lines = try TextLineReader(path: path)
        try CandleReader.checkHeader(lines, expected: FundingRateReader.header)
    }

    /// The next funding settlement, or nil at the end of a valid file.
    public func next() throws(CandleDataError) -> FundingRate? {
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
    public static func readAll(path: String) throws(CandleDataError) -> (rates: [FundingRate], report: FundingFileReport) {
        let reader = try FundingRateReader(path: path)
        var rates: [FundingRate] = []
        while let rate = try reader.next() { rates.append(rate) }
        return (rates, reader.report)
    }

    /// Reads and validates the whole file, keeping only the report.
    public static func validate(path: String) throws(CandleDataError) -> FundingFileReport {
        let reader = try FundingRateReader(path: path)
        while try reader.next() != nil {}
        return reader.report
    }

    private func parse(_ line: UnsafeBufferPointer<UInt8>) throws(CandleDataError) -> FundingRate {
        let fieldCount = scanner.split(line)
        guard fieldCount == 3 else {
            throw error(.fieldCount, field: nil, detail: "expected 3 fields, found \(fieldCount)")
        }
        let timeBytes = scanner.field(0, of: line)
        guard let time = FieldParsing.parseInteger(timeBytes) else {
            throw timeError(timeBytes)
        }
        let rateBytes = scanner.field(1, of: line)
        guard let rateRaw = FixedPoint.parse(utf8: rateBytes) else { throw numberError(rateBytes, 1) }
        guard rateRaw.magnitude < UInt64(FixedPoint.scale) else {
            throw error(.rateOutOfRange, field: 1, detail: "\(FieldParsing.text(rateBytes)) is 100% or more")
        }
        let markBytes = scanner.field(2, of: line)
        var mark: Price?
        if !markBytes.isEmpty {
            guard let markRaw = FixedPoint.parse(utf8: markBytes) else { throw numberError(markBytes, 2) }
            guard markRaw > 0 else { throw error(.nonPositivePrice, field: 2, detail: FieldParsing.text(markBytes)) }
            mark = Price(raw: markRaw)
        }
        if let previousTime {
            if time == previousTime { throw error(.duplicateTimestamp, field: 0, detail: "\(time) repeats the previous row") }
            if time < previousTime {
                throw error(.timeNotIncreasing, field: 0, detail: "\(time) is before the previous row's \(previousTime)")
            }
        } else {
            report.firstFundingTime = Timestamp(milliseconds: time)
        }
        previousTime = time
        let rate = Rate(raw: rateRaw)
        report.rowCount += 1
        report.lastFundingTime = Timestamp(milliseconds: time)
        if report.lowestRate.map({ rate < $0 }) ?? true { report.lowestRate = rate }
        if report.highestRate.map({ rate > $0 }) ?? true { report.highestRate = rate }
        return FundingRate(fundingTime: Timestamp(milliseconds: time), rate: rate, markPrice: mark)
    }

    /// A time that is not a non-negative integer of at most 18 digits; a longer one is out of range.
    private func timeError(_ bytes: UnsafeBufferPointer<UInt8>) -> CandleDataError {
        if bytes.count > 18 && bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return error(.outOfRange, field: 0, detail: "\(FieldParsing.text(bytes)) is out of range for a millisecond time (at most 18 digits)")
        }
        return error(.unparsable, field: 0, detail: "not a millisecond time: '\(FieldParsing.text(bytes))'")
    }

    private func numberError(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> CandleDataError {
        if FieldParsing.isNonFiniteText(bytes) { return error(.notFinite, field: index, detail: FieldParsing.text(bytes)) }
        if FieldParsing.isWellFormedNumber(bytes) {
            return error(.outOfRange, field: index, detail: "\(FieldParsing.text(bytes)) is out of range")
        }
        return error(.unparsable, field: index, detail: bytes.isEmpty ? "empty" : "'\(FieldParsing.text(bytes))'")
    }

    private func error(_ kind: CandleDataError.Kind, field: Int?, detail: String) -> CandleDataError {
        CandleDataError(kind, file: lines.path, line: lines.lineNumber,
                        field: field.map { FundingRateReader.fieldNames[$0] }, detail: detail)
    }
}

/// Owns a file handle and a mutable buffer: use from one task only.
@available(*, unavailable)
extension FundingRateReader: Sendable {}
