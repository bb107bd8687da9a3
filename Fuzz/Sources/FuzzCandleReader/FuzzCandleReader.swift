// Fuzzes the kline reader (`CandleReader`, the code behind `qt data inspect` and every
// backtest's data loading) with arbitrary file contents: plain or gzip, with and without an
// interval in the name, with and without plausibility limits. Any input must end in a report or
// a one-line `CandleDataError` without control characters; a trap or hang is a finding.
import CandleData
import TradingModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One scratch directory per process; the input is written to a file named by the first byte.
let scratch: String = {
    // tmpfs when there is one: a file per execution on a disk costs milliseconds.
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/qt-fuzz-candles-XXXXXX".utf8CString)
    guard let directory = mkdtemp(&template) else { fatalError("cannot create a scratch directory") }
    return String(cString: directory)
}()
let scratchDirectory = scratch

/// Writes `bytes` to `path`, replacing it.
func write(_ bytes: UnsafeRawBufferPointer, to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(descriptor >= 0, "cannot write the scratch file")
    var offset = 0
    while offset < bytes.count {
        let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        precondition(written > 0, "short write")
        offset += written
    }
    close(descriptor)
}

/// An error message must be one line of printable text (control bytes from the file escaped).
func checkMessage(_ text: String) {
    if text.isEmpty || text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
        fatalError("message with a control character: \(text.debugDescription)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCandleReader(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let mode = bytes[0]
    // Bit 0: `.gz` name; bit 1: an interval in the name (else inferred); bits 2-3: limits.
    let name = (mode & 2 != 0 ? "FILUSDT-1m-fuzz" : "fuzz") + (mode & 1 != 0 ? ".csv.gz" : ".csv")
    let path = scratch + "/" + name
    write(UnsafeRawBufferPointer(rebasing: bytes[1...]), to: path)
    let limits: CandleLimits = switch (mode >> 2) & 3 {
    case 0: .standard
    case 1: .none
    case 2: CandleLimits(minimumPrice: Price(raw: 1000), maximumPrice: Price(raw: 10_000_000_000_000), maximumBarRatio: Rate(units: 2))
    default: CandleLimits(maximumBarRatio: Rate(raw: 101_000_000))
    }
    do {
        let reader = try CandleReader(path: path, limits: limits)
        var rows = 0
        while let candle = try reader.next() {
            rows += 1
            precondition(candle.low <= candle.high && candle.low.isPositive, "an invalid candle was returned")
        }
        let report = reader.report
        precondition(report.reachedEnd && report.rowCount == rows && rows > 0, "report out of step with the rows")
        _ = report.totalVolumeText
        _ = report.missingBarCount
        _ = report.firstOpenTime?.iso8601
        _ = report.interval?.label
    } catch {
        checkMessage(error.description)
    }
    return 0
}

@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

/// The program's entry. SwiftPM links an executable target's `main` to `<Target>_main`, so the
/// target names its entry that way and hands control to libFuzzer's driver.
@_cdecl("FuzzCandleReader_main")
public func fuzzCandleReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // The scratch directory goes when the process ends (libFuzzer exits through `exit`).
    atexit { _ = try? FileManager.default.removeItem(atPath: scratchDirectory) }
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzCandleReader)
}
