// qt-bench: times the event-driven engine (kernel + simulated exchange + full accounting) on the
// reference `ema-cross` strategy. Candles are loaded into memory FIRST; only the replay is timed.
// Usage: qt-bench [--bars N] [--repeat R] [--balance USDT] [--full-path] FILE...
// --full-path routes every intrabar path point (no quiet-bar skipping), to measure that cost.
// --digest prints an FNV-1a digest of every output (trades, fills, decisions, alerts, equity
// samples, final balances) so two builds can be checked to produce identical results.
import Backtest
import CandleData
#if canImport(Glibc)
import Glibc
#endif
import TradingEngine
import TradingModel

/// Peak resident set size of this process, in MiB (getrusage `ru_maxrss` is KiB on Linux).
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// `value` with `places` decimals (no Foundation).
func fixed(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int64(scaled / scale)
    var fraction = String(Int64(abs(scaled) - abs(Double(whole)) * scale))
    while fraction.count < places { fraction = "0" + fraction }
    return places == 0 ? String(whole) : "\(whole).\(fraction)"
}

/// FNV-1a (64-bit) over the textual form of every output of a run (deterministic across processes,
/// unlike `Hasher`).
func outputDigest(_ output: BacktestOutput) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func add(_ text: String) {
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x0a) &* 0x100_0000_01b3
    }
    output.trades.forEach { add("\($0)") }
    output.fills.forEach { add("\($0)") }
    output.decisions.forEach { add("\($0)") }
    output.alerts.forEach { add("\($0)") }
    output.rejections.forEach { add("\($0)") }
    output.equityCurve?.samples.forEach { add("\($0)") }
    add("\(output.finalEquity) \(output.walletBalance) \(output.exitStateSaves) \(output.bars) \(output.quietBars)")
    return String(hash, radix: 16)
}

/// Current resident set size in MiB (`/proc/self/statm`, second field, in pages).
func currentMemoryMiB() -> Double {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0, resident = 0
    guard withUnsafeMutablePointer(to: &size, { sizePointer in
        withUnsafeMutablePointer(to: &resident) { residentPointer in
            withVaList([sizePointer, residentPointer]) { vfscanf(file, "%ld %ld", $0) }
        }
    }) == 2 else { return 0 }
    return Double(resident) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// CPU time of this thread (the replay runs on it), nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var barLimit = Int.max
var repeats = 3
// Large enough that no entry is ever refused for margin: every signal trades, as in the other
// backtesters' runs of the same strategy.
var balance = Money(units: 1_000_000)
var files: [String] = []
var fullPath = false
var printsDigest = false
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--bars": barLimit = Int(arguments.removeFirst()) ?? Int.max
    case "--repeat": repeats = max(1, Int(arguments.removeFirst()) ?? 3)
    case "--balance": balance = Money(arguments.removeFirst()) ?? balance
    case "--full-path": fullPath = true
    case "--digest": printsDigest = true
    default: files.append(argument)
    }
}
guard !files.isEmpty else {
    print("usage: qt-bench [--bars N] [--repeat R] FILE...")
    exit(2)
}

let loadStart = monotonicNanoseconds()
var candles: [Candle] = []
var symbol: Symbol?
for file in files.sorted() where candles.count < barLimit {
    do {
        let series = try CandleReader.readAll(path: file)
        symbol = symbol ?? series.report.symbol
        candles += series.candles
    } catch {
        print("error: \(error)")
        exit(1)
    }
}
if candles.count > barLimit { candles.removeLast(candles.count - barLimit) }
guard let symbol, let instrument = BundledInstruments.instrument(symbol) else {
    print("error: no bundled instrument for the data's symbol")
    exit(1)
}
let loadSeconds = Double(monotonicNanoseconds() - loadStart) / 1e9
let memoryAfterLoad = peakMemoryMiB()
print("bars: \(candles.count) (\(symbol), \(files.count) files), loaded in \(fixed(loadSeconds, 3)) s (gzip CSV, validated); "
      + "peak memory after load: \(fixed(memoryAfterLoad, 1)) MiB")

var rates: [Double] = []
var cpuTimes: [Double] = []
var trades = 0
var net = Money.zero
let residentBefore = currentMemoryMiB()
var residentWithOutput = 0.0
for run in 1...repeats {
    let start = monotonicNanoseconds()
    let startCPU = threadCPUNanoseconds()
    var settings = EMACrossBacktest.Settings.reference
    settings.initialBalance = balance
    var engine = EMACrossBacktest.makeEngine(instruments: [instrument], settings: settings, interval: .seconds(60), start: candles[0].openTime)
    engine.skipsQuietBars = !fullPath
    for candle in candles { engine.onCandle(candle, interval: .seconds(60), symbolIndex: 0) }
    let output = engine.finish()
    let elapsed = Double(monotonicNanoseconds() - start) / 1e9
    let elapsedCPU = Double(threadCPUNanoseconds() - startCPU) / 1e9
    cpuTimes.append(elapsedCPU)
    residentWithOutput = max(residentWithOutput, currentMemoryMiB())
    trades = output.trades.count
    net = output.trades.reduce(Money.zero) { $0 + $1.netPnL }
    let rate = Double(candles.count) / elapsed
    rates.append(rate)
    if run == 1 && printsDigest { print("output digest: \(outputDigest(output)) (\(output.trades.count) trades, \(output.fills.count) fills, \(output.decisions.count) decisions, \(output.alerts.count) alerts)") }
    if run == 1 { print("quiet bars skipped: \(output.quietBars) of \(output.bars); rejected entries: \(output.decisions.count - output.trades.count)") }
    print("run \(run): \(fixed(elapsed, 4)) s (cpu \(fixed(elapsedCPU, 4)) s), \(fixed(rate / 1e6, 2)) million bars/s, trades \(trades), net \(net) USDT")
}
rates.sort()
print("best replay time: \(fixed(Double(candles.count) / rates.last!, 4)) s; best replay cpu: \(fixed(cpuTimes.min()!, 4)) s")
let memoryAfterRuns = peakMemoryMiB()
print("best: \(fixed(rates.last! / 1e6, 2)) million bars/s; median: \(fixed(rates[rates.count / 2] / 1e6, 2)) million bars/s")
print("peak memory (maxrss): \(fixed(memoryAfterRuns, 1)) MiB; resident before the runs: \(fixed(residentBefore, 1)) MiB, with a run's engine and outputs alive: \(fixed(residentWithOutput, 1)) MiB (+\(fixed(residentWithOutput - residentBefore, 1)) MiB, outputs: \(trades) trades, their fills and decisions)")
