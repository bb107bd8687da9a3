// Runs a short backtest — the whole `qt backtest` path minus the store: configuration, candle
// reader with its plausibility limits, kernel, entry gate, exit owner, simulated exchange,
// accounting, reports — on fuzzed candles. The input's first byte picks the configuration (entry
// gate × execution policy, the bundled FILUSDT instrument with the default limits or an
// instrument without price bounds and a 10⁶× bar ratio, funding, slippage, leverage); the rest
// is decoded into candles (start price, then per bar a close move and two wicks) written as a
// kline file. Any input must end in a result or a one-line error (a data error, a rejection, a
// `BacktestFault` naming the bar); a trap or hang is a finding.
import Foundation
import TraderApp
import TradingConfig

let scratch: String = {
    // tmpfs when there is one: a file per execution on a disk costs milliseconds.
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/qt-fuzz-backtest-XXXXXX".utf8CString)
    guard let directory = mkdtemp(&template) else { fatalError("cannot create a scratch directory") }
    return String(cString: directory)
}()
let scratchDirectory = scratch

/// An error message must be one line of printable text.
func checkMessage(_ text: String) {
    if text.isEmpty || text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
        fatalError("message with a control character: \(text.debugDescription)")
    }
}

/// The configuration for a variant byte (parsed once per variant).
nonisolated(unsafe) var configurations: [UInt8: AppConfig] = [:]

func configuration(_ variant: UInt8) -> (AppConfig, symbol: String) {
    let relaxed = variant & 4 != 0
    let symbol = relaxed ? "FUZZUSDT" : "FILUSDT"
    if let cached = configurations[variant] { return (cached, symbol) }
    let gate = variant & 1 != 0 ? "validator" : "fixed-notional"
    let policy = variant & 2 != 0 ? "exit-engine" : "reference-bracket"
    let text = """
        [execution]
        policy = "\(policy)"
        [strategy]
        name = "ema-cross"
        entry_gate = "\(gate)"
        fast_period = 3
        slow_period = 6
        notional = \(variant & 32 != 0 ? "10000000" : "1000")
        leverage = \(variant & 16 != 0 ? 20 : 1)
        stop_loss = 0.012
        take_profit = 0.0186
        round_to_exchange_grid = \(variant & 64 != 0)
        [validation]
        confidence_check = false
        funding_check = false
        trend_check = false
        regime_check = false
        correlation_check = false
        cooldown = "5m"
        [sizing]
        maximum_leverage = 20
        [exit]
        stop_move = 0.012
        [backtest]
        intrabar_path = "\(variant & 128 != 0 ? "ohlc" : "pessimistic")"
        slippage_bps = \(variant & 8 != 0 ? 5 : 0)
        enforce_precision = \(variant & 64 != 0)
        equity_sample_interval = "1m"
        funding = "\(variant & 8 != 0 ? "constant" : "none")"
        funding_interval = "1h"
        runs_directory = "\(scratch)/runs"
        \(relaxed ? "max_bar_ratio = 1000000" : "")
        [account]
        initial_balance = 10000
        \(relaxed ? "[instruments.FUZZUSDT]\ntick_size = 0.00000001\nstep_size = 0.00000001\nmin_notional = 0" : "")
        """
    let config = try! AppConfig(from: try! ConfigDocument.parse(text: text, file: "fuzz-\(variant).toml"))
    configurations[variant] = config
    return (config, symbol)
}

/// Raw fixed-point text (8 decimals) of a positive raw value.
func decimal(_ raw: Int64) -> String {
    let whole = raw / 100_000_000
    var fraction = String(raw % 100_000_000)
    fraction = String(repeating: "0", count: 8 - fraction.count) + fraction
    return "\(whole).\(fraction)"
}

/// A price multiplied by `factor`, kept within 1 raw unit … `Int64.max`.
func scaled(_ raw: Int64, _ factor: Double) -> Int64 {
    let value = Double(raw) * factor
    guard value.isFinite, value >= 1 else { return 1 }
    return value >= 9.2e18 ? Int64.max : Int64(value)
}

/// The close move of a byte: ×2^((b − 128) / 32) (÷16 … ×16); 0 and 255 jump by 10⁶.
func factor(_ byte: UInt8) -> Double {
    switch byte {
    case 0: 1e-6
    case 255: 1e6
    default: exp2((Double(byte) - 128) / 32)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBacktest(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard count >= 3 else { return 0 }
    let (config, symbol) = configuration(bytes[0])
    // Start price: mantissa × 10^exponent raw units (10⁻⁸ … ~2.5 × 10¹⁸).
    var open = Int64(max(bytes[1], 1))
    for _ in 0..<(Int(bytes[2]) % 17) { open = open > Int64.max / 10 ? open : open * 10 }
    var text = "open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume\n"
    var time: Int64 = 1_769_904_000_000
    var index = 3
    while index + 2 < count && index < 3 + 3 * 400 {
        let close = scaled(open, factor(bytes[index]))
        let high = scaled(max(open, close), 1 + Double(bytes[index + 1]) / 2048)
        let low = scaled(min(open, close), 1 / (1 + Double(bytes[index + 2]) / 2048))
        text += "\(time),\(decimal(open)),\(decimal(max(high, open, close))),\(decimal(min(low, open, close))),\(decimal(close)),1,,,\n"
        open = close
        time += 60_000
        index += 3
    }
    let path = scratch + "/\(symbol)-1m-fuzz.csv"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    do {
        let result = try BacktestRunner.run(config: config, dataFiles: [path], outputDirectory: scratch + "/out")
        _ = result.summary.lines
        _ = result.exitMetricsLines
    } catch {
        checkMessage("\(error)")
    }
    return 0
}

@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

/// The program's entry. SwiftPM links an executable target's `main` to `<Target>_main`, so the
/// target names its entry that way and hands control to libFuzzer's driver.
@_cdecl("FuzzBacktest_main")
public func fuzzBacktestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // The scratch directory goes when the process ends (libFuzzer exits through `exit`).
    atexit { _ = try? FileManager.default.removeItem(atPath: scratchDirectory) }
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzBacktest)
}
