// qt-bench: times the event-driven engine (kernel + simulated exchange + full accounting) on the
// reference `ema-cross` strategy. Candles are loaded into memory FIRST; only the replay is timed.
// Usage: qt-bench [--bars N] [--repeat R] FILE...
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

func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var barLimit = Int.max
var repeats = 3
var files: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--bars": barLimit = Int(arguments.removeFirst()) ?? Int.max
    case "--repeat": repeats = max(1, Int(arguments.removeFirst()) ?? 3)
    default: files.append(argument)
    }
}
guard !files.isEmpty else {
    print("usage: qt-bench [--bars N] [--repeat R] FILE...")
    exit(2)
}

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
let memoryAfterLoad = peakMemoryMiB()
print("bars: \(candles.count) (\(symbol), \(files.count) files), loaded; peak memory after load: \(fixed(memoryAfterLoad, 1)) MiB")

var rates: [Double] = []
var trades = 0
var net = Money.zero
for run in 1...repeats {
    let start = monotonicNanoseconds()
    let output = EMACrossBacktest.run(candles: candles, instrument: instrument, interval: .seconds(60), settings: .reference)
    let elapsed = Double(monotonicNanoseconds() - start) / 1e9
    trades = output.trades.count
    net = output.trades.reduce(Money.zero) { $0 + $1.netPnL }
    let rate = Double(candles.count) / elapsed
    rates.append(rate)
    print("run \(run): \(fixed(elapsed, 4)) s, \(fixed(rate / 1e6, 2)) million bars/s, trades \(trades), net \(net) USDT")
}
rates.sort()
let memoryAfterRuns = peakMemoryMiB()
print("best: \(fixed(rates.last! / 1e6, 2)) million bars/s; median: \(fixed(rates[rates.count / 2] / 1e6, 2)) million bars/s")
print("peak memory: \(fixed(memoryAfterRuns, 1)) MiB (engine growth over the loaded data: \(fixed(memoryAfterRuns - memoryAfterLoad, 1)) MiB)")
