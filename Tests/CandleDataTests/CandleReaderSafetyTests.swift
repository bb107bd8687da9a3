import CandleData
import Foundation
import Testing
import TradingModel

/// Inputs the reader once accepted silently or never finished: non-regular files, bytes after
/// the gzip data, files without rows, rows off the interval grid, taker volume above volume,
/// implausible prices, and control bytes that reached the terminal.
@Suite("CandleReader safety")
struct CandleReaderSafetyTests {
    static let good = "1769904000000,9.982,9.990,9.974,9.987,24464.35,244198.04745,782,9388.60"

    // MARK: Files that are not files

    /// `qt data inspect /dev/urandom` read forever: without an interval in the name the whole
    /// file was read to infer one before the header was looked at.
    @Test("a character device is refused unread (/dev/urandom never finished)")
    func deviceIsRefused() throws {
        let error = try #require(readError("/dev/urandom"))
        #expect(error.kind == .notRegularFile)
        #expect(error.description == "/dev/urandom: notRegularFile: a character device, not a data file")
        #expect(try #require(fundingError("/dev/zero")).kind == .notRegularFile)
    }

    @Test("a directory is refused in one line")
    func directoryIsRefused() throws {
        let directory = try FixtureDirectory("directory")
        defer { directory.remove() }
        let error = try #require(readError(directory.url.path))
        #expect(error.kind == .notRegularFile)
        #expect(error.description == "\(directory.url.path): notRegularFile: a directory, not a data file")
    }

    @Test("the header is checked before the file is scanned for its interval")
    func headerComesFirst() throws {
        let directory = try FixtureDirectory("header-first")
        defer { directory.remove() }
        // No interval in the name, a wrong first line, then damage further on: the header is
        // what is reported (line 1), not the damage the interval scan would have hit.
        // Varied lines compress poorly, so the damage sits far beyond the first block read.
        let noise = (0..<200_000).map { "\($0 &* 2_654_435_761 % 1_000_003),\($0 % 977)\n" }.joined()
        let path = try directory.writeGzip("noise.csv.gz", "not a header\n" + noise)
        try directory.corrupt(path, count: 8)
        let error = try #require(readError(path))
        #expect(error.kind == .wrongHeader)
        #expect(error.line == 1)
    }

    // MARK: gzip

    @Test("bytes after the end of the gzip data are refused, not ignored")
    func trailingBytesAfterGzip() throws {
        let directory = try FixtureDirectory("trailing")
        defer { directory.remove() }
        let path = try directory.writeGzip("LINKUSDT-1m-x.csv.gz", KlineText.file(KlineText.minuteRows(count: 3)))
        let clean = try Data(contentsOf: URL(fileURLWithPath: path))
        for garbage in [Data("garbage".utf8), Data([0]), Data([0x1F]), Data(repeating: 0, count: 300_000)] {
            try (clean + garbage).write(to: URL(fileURLWithPath: path))
            let error = try #require(readError(path))
            #expect(error.kind == .trailingData)
            #expect(error.description.contains("at byte offset \(clean.count)"))
        }
    }

    @Test("concatenated gzip members read as one stream, as gzip -d does")
    func concatenatedMembers() throws {
        let directory = try FixtureDirectory("members")
        defer { directory.remove() }
        let rows = KlineText.minuteRows(count: 6)
        let first = try directory.writeGzip("a.gz", KlineText.file(Array(rows[0..<3])))
        let second = try directory.writeGzip("b.gz", rows[3..<6].map { $0 + "\n" }.joined())
        let path = directory.path("LINKUSDT-1m-joined.csv.gz")
        try (try Data(contentsOf: URL(fileURLWithPath: first)) + Data(contentsOf: URL(fileURLWithPath: second)))
            .write(to: URL(fileURLWithPath: path))
        #expect(try CandleReader.readAll(path: path).candles.count == 6)
    }

    // MARK: Silent acceptance

    @Test("a header-only file is not valid data")
    func headerOnlyFile() throws {
        let directory = try FixtureDirectory("header-only")
        defer { directory.remove() }
        let path = try directory.writeGzip("LINKUSDT-1m-x.csv.gz", KlineText.file([]))
        let error = try #require(readError(path))
        #expect(error.kind == .noRows)
        #expect(error.line == 2)
        let funding = try directory.writePlain("XRPUSDT-funding-x.csv", "funding_time_ms,funding_rate,mark_price\n")
        #expect(fundingError(funding)?.kind == .noRows)
    }

    @Test("taker buy volume above the volume is refused")
    func takerVolumeAboveVolume() throws {
        let error = try #require(try badRow("1769904060000,9.98,9.99,9.97,9.98,10,,,10.00000001"))
        #expect(error.kind == .takerVolumeAboveVolume)
        #expect(error.field == "taker_buy_volume")
        #expect(error.line == 3)
    }

    @Test("open times off the interval's grid are refused even when every step is whole")
    func offGridOpenTimes() throws {
        let directory = try FixtureDirectory("off-grid")
        defer { directory.remove() }
        // Every bar opens 30 s past the minute: steps of exactly 60 s, but no 1m bar opens there.
        let path = try directory.writePlain("LINKUSDT-1m-x.csv", KlineText.file([
            "1769904030000,9.98,9.99,9.97,9.98,1,,,", "1769904090000,9.98,9.99,9.97,9.98,1,,,",
        ]))
        let error = try #require(readError(path))
        #expect(error.kind == .misalignedTime)
        #expect(error.line == 2)
        #expect(error.description.contains("is not on the 1m grid (30000 ms past it)"))
    }

    // MARK: Plausibility

    @Test("a bar at 0.00000001 after bars near 10 is an implausible move")
    func tinyPriceAfterNormalBars() throws {
        let error = try #require(try badRow("1769904060000,9.98,9.98,0.00000001,0.00000001,1,,,"))
        #expect(error.kind == .implausibleMove)
        #expect(error.field == "low")
        #expect(error.description.contains("from the previous close 9.987"))
    }

    @Test("a bar at 92233720368.54775807 is an implausible move")
    func hugePriceAfterNormalBars() throws {
        let error = try #require(try badRow("1769904060000,92233720368.54775807,92233720368.54775807,92233720368.54775807,92233720368.54775807,1,,,"))
        #expect(error.kind == .implausibleMove)
        #expect(error.field == "high")
    }

    @Test("a move within the ratio reads; the ratio is configurable")
    func ratioIsConfigurable() throws {
        let directory = try FixtureDirectory("ratio")
        defer { directory.remove() }
        // 9.987 → high 99 is 9.91×: plausible at the default 10×, not at 5×.
        let path = try directory.writePlain("LINKUSDT-1m-x.csv", KlineText.file([Self.good, "1769904060000,9.98,99,9.97,98,1,,,"]))
        #expect(try CandleReader.readAll(path: path).candles.count == 2)
        let strict = CandleLimits(maximumBarRatio: Rate(units: 5))
        #expect(throws: CandleDataError.self) { try CandleReader.readAll(path: path, limits: strict) }
        #expect(try CandleReader.readAll(path: path, limits: .none).candles.count == 2)
    }

    @Test("instrument price bounds: below the minimum (or the tick) and above the maximum")
    func instrumentBounds() throws {
        let directory = try FixtureDirectory("bounds")
        defer { directory.remove() }
        let instrument = Instrument(symbol: "LINKUSDT", baseAsset: "LINK", tickSize: Price("0.001")!, minPrice: Price("0.464")!,
                                    maxPrice: Price("100000")!, stepSize: Quantity("0.01")!, minQuantity: Quantity("0.01")!,
                                    maxQuantity: Quantity("1000")!, minNotional: Money(units: 5),
                                    marginBrackets: [MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 1_000_000),
                                                                   maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 20)])
        let limits = CandleLimits(instrument: instrument, maximumBarRatio: nil)
        let low = try directory.writePlain("LINKUSDT-1m-low.csv", KlineText.file(["1769904000000,0.5,0.5,0.4,0.5,1,,,"]))
        let lowError = try #require(readError(low, limits: limits))
        #expect(lowError.kind == .priceBelowMinimum)
        #expect(lowError.description == "\(low):2: field low: priceBelowMinimum: low 0.4 is below the minimum price 0.464")
        let high = try directory.writePlain("LINKUSDT-1m-high.csv", KlineText.file(["1769904000000,5,100001,5,5,1,,,"]))
        #expect(readError(high, limits: limits)?.kind == .priceAboveMaximum)
        var noMinimum = instrument
        noMinimum.minPrice = .zero
        #expect(CandleLimits(instrument: noMinimum).minimumPrice == Price("0.001"))
    }

    // MARK: Messages

    @Test("numbers too large for their field say out of range", arguments: [
        ("1769904060000,9.98,99999999999999999999,9.97,9.98,1,,,", "high"),
        ("1769904060000,9.98,9.99,9.97,9.98,1e30,,,", "volume"),
        ("1769904060000,9.98,9.99,9.97,9.98,1,,1234567890123456789012,", "trades"),
        ("17699040600001234567890,9.98,9.99,9.97,9.98,1,,,", "open_time_ms"),
    ])
    func outOfRangeNumbers(row: String, field: String) throws {
        let error = try #require(try badRow(row))
        #expect(error.kind == .outOfRange)
        #expect(error.field == field)
        #expect(error.description.contains("out of range"))
    }

    @Test("control bytes in the file are escaped in the message (a header of ESC[2J cannot clear the terminal)")
    func controlBytesAreEscaped() throws {
        let directory = try FixtureDirectory("escape")
        defer { directory.remove() }
        let path = try directory.writePlain("LINKUSDT-1m-x.csv", "\u{1B}[2J\u{1B}[H\u{9B}31m\n" + Self.good + "\n")
        let error = try #require(readError(path))
        #expect(error.kind == .wrongHeader)
        #expect(error.description.hasSuffix("found '\\e[2J\\e[H\\u{9B}31m'"))
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        let field = try #require(try badRow("1769904060000,\u{1B}]0;pwned\u{07},9.99,9.97,9.98,1,,,"))
        #expect(field.description.contains("'\\e]0;pwned\\u{07}'"))
        let bytes = try directory.writePlain("LINKUSDT-1m-y.csv", KlineText.header + "\n" + "1769904000000,9.9\u{FF},9.99,9.97,9.98,1,,,\n")
        try Data(Array(KlineText.header.utf8) + [0x0A] + Array("1769904000000,9.9".utf8) + [0xFF] + Array(",9.99,9.97,9.98,1,,,\n".utf8))
            .write(to: URL(fileURLWithPath: bytes))
        #expect(try #require(readError(bytes)).description.contains("'9.9\\xFF'"))
    }

    // MARK: Helpers

    private func readError(_ path: String, limits: CandleLimits = .standard) -> CandleDataError? {
        do {
            _ = try CandleReader.readAll(path: path, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    private func fundingError(_ path: String) -> CandleDataError? {
        do {
            _ = try FundingRateReader.readAll(path: path)
            return nil
        } catch {
            return error
        }
    }

    /// The error of a 1m file with one good row (line 2) and `row` (line 3).
    private func badRow(_ row: String) throws -> CandleDataError? {
        let directory = try FixtureDirectory("bad-\(abs(row.hashValue))")
        defer { directory.remove() }
        return readError(try directory.writePlain("LINKUSDT-1m-x.csv", KlineText.file([Self.good, row])))
    }
}
