// Fuzzes the configuration mapper (`AppConfig(from:)`: every section's typed settings, ranges,
// cross-checks and the unknown-key pass, behind `qt config check`, `qt backtest`, `qt paper` and
// `qt live`) with arbitrary TOML. Any input must map or end in one-line `ConfigError`s without
// control characters; a trap or hang is a finding.
import TraderApp
import TradingConfig
#if canImport(Glibc)
import Glibc
#endif

/// An error message must be one line of printable text (control bytes from the file escaped).
func checkMessage(_ text: String) {
    if text.isEmpty || text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
        fatalError("message with a control character: \(text.debugDescription)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigMapper(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let document: ConfigDocument
    do {
        document = try ConfigDocument.parse(text: text, file: "fuzz.toml")
    } catch {
        checkMessage(error.description)
        return 0
    }
    do {
        let config = try AppConfig(from: document)
        _ = config.fingerprint
        // Everything a command builds from a mapped configuration before it runs.
        _ = try? config.backtest.instrument(for: "FILUSDT")
        _ = try? config.backtest.candleLimits(for: "FILUSDT")
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
@_cdecl("FuzzConfigMapper_main")
public func fuzzConfigMapperMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzConfigMapper)
}
