// Fuzzes the TOML parser (`ConfigDocument.parse`, behind `qt config check` and every command
// that reads a configuration) with arbitrary text, and the file loader with arbitrary bytes (not
// UTF-8, oversized). Any input must parse or end in a one-line `ConfigError` without control
// characters; a trap (stack overflow on deep nesting once) or a hang is a finding.
import TradingConfig
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One scratch file per process for the loader path.
let scratchBase: String = {
    // tmpfs when there is one: a file per execution on a disk costs milliseconds.
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/qt-fuzz-toml-XXXXXX".utf8CString)
    guard let directory = mkdtemp(&template) else { fatalError("cannot create a scratch directory") }
    return String(cString: directory)
}()
let scratchDirectory = scratchBase
let scratch = scratchBase + "/fuzz.toml"

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

/// Reads every value of `table` through the typed accessors, as configuration mapping does.
func readAll(_ section: ConfigSection, depth: Int = 0) {
    for key in section.keys {
        _ = try? section.string(key, default: "")
        _ = try? section.int(key, default: 0, range: -5...5)
        _ = try? section.double(key, default: 0)
        _ = try? section.rate(key, default: .zero)
        _ = try? section.money(key, default: .zero)
        _ = try? section.duration(key, default: .zero)
        _ = try? section.stringArray(key, default: [])
        _ = try? section.bool(key, default: false)
        if depth < 4 { readAll(section.section(key), depth: depth + 1) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTOMLParser(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let document: ConfigDocument
    do {
        if count > 0 && bytes[0] == 0xFF {
            // The loader: bytes as they are in a file (invalid UTF-8 included).
            write(UnsafeRawBufferPointer(rebasing: bytes[1...]), to: scratch)
            document = try ConfigDocument.load(path: scratch)
        } else {
            document = try ConfigDocument.parse(text: String(decoding: bytes, as: UTF8.self), file: "fuzz.toml")
        }
    } catch {
        checkMessage(error.description)
        return 0
    }
    _ = document.keyCount
    readAll(document.rootSection)
    do {
        try document.rejectUnusedKeys()
    } catch {
        for error in error.errors { checkMessage(error.description) }
    }
    return 0
}

@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

/// The program's entry. SwiftPM links an executable target's `main` to `<Target>_main`, so the
/// target names its entry that way and hands control to libFuzzer's driver.
@_cdecl("FuzzTOMLParser_main")
public func fuzzTOMLParserMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // The scratch directory goes when the process ends (libFuzzer exits through `exit`).
    atexit { _ = try? FileManager.default.removeItem(atPath: scratchDirectory) }
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzTOMLParser)
}
