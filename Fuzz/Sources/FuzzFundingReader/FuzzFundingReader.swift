// Fuzzes the funding-rate reader (`FundingRateReader`: `qt data inspect` on funding files and
// `[backtest] funding_files`) with arbitrary file contents, plain or gzip. Any input must end in a
// report or a one-line `CandleDataError` without control characters; a trap or hang is a finding.
import CandleData
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One scratch directory per process; the input is written to a file named by the first byte.
let scratch: String = {
    // tmpfs when there is one: a file per execution on a disk costs milliseconds.
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/qt-fuzz-funding-XXXXXX".utf8CString)
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
public func fuzzFundingReader(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let path = scratch + "/XRPUSDT-funding-fuzz" + (bytes[0] & 1 != 0 ? ".csv.gz" : ".csv")
    write(UnsafeRawBufferPointer(rebasing: bytes[1...]), to: path)
    do {
        let reader = try FundingRateReader(path: path)
        var rows = 0
        while let rate = try reader.next() {
            rows += 1
            precondition(rate.rate.raw.magnitude < 100_000_000, "a rate of 100% or more was returned")
        }
        precondition(reader.report.reachedEnd && reader.report.rowCount == rows && rows > 0, "report out of step with the rows")
        _ = reader.report.lastFundingTime?.iso8601
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
@_cdecl("FuzzFundingReader_main")
public func fuzzFundingReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // The scratch directory goes when the process ends (libFuzzer exits through `exit`).
    atexit { _ = try? FileManager.default.removeItem(atPath: scratchDirectory) }
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzFundingReader)
}
