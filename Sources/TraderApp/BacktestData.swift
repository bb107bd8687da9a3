import CandleData
import TradingModel

/// Candle files loaded into memory for a replay: grouped by symbol (from the file name), each
/// symbol's files concatenated in time order, funding files by symbol. All files must share one
/// interval and one symbol's files must not overlap. Errors name the file.
struct BacktestData {
    var symbols: [Symbol]
    var candles: [[Candle]]
    var interval: Duration
    var start: Timestamp
    var funding: [Symbol: [FundingRate]]

    var barCount: Int64 { candles.reduce(0) { $0 + Int64($1.count) } }

    /// `limits`: the plausibility limits of a symbol's files (from its instrument, see
    /// `BacktestSettings.candleLimits`). `symbol`: the symbol of every file (`--symbol`), for
    /// files named otherwise than `SYMBOL-INTERVAL-…`; nil: each file's name must say it.
    static func load(files: [String], fundingFiles: [String], symbol given: Symbol? = nil,
                     limits: (Symbol) throws -> CandleLimits = { _ in .standard }) throws -> BacktestData {
        guard !files.isEmpty else { throw BacktestRunError("no data files given (--data FILE...)") }
        var bySymbol: [Symbol: [CandleSeries]] = [:]
        var interval: CandleInterval?
        let fileSymbols = try files.map { file throws(BacktestRunError) in try fileSymbol(file, given: given) }
        let fileLimits = try fileSymbols.map(limits)
        // The files are read in parallel (one per core; gzip inflate and parsing dominate the
        // load); errors are then reported in argument order, as a sequential read would.
        let read = ParallelWork.map(count: files.count) { index -> Result<CandleSeries, CandleDataError> in
            do throws(CandleDataError) {
                return .success(try CandleReader.readAll(path: files[index], limits: fileLimits[index]))
            } catch {
                return .failure(error)
            }
        }
        for (index, file) in files.enumerated() {
            let symbol = fileSymbols[index]
            let series: CandleSeries
            switch read[index] {
            case .success(let value): series = value
            case .failure(let error): throw BacktestRunError("\(error)")
            }
            guard let fileInterval = series.report.interval else { throw BacktestRunError("\(file): cannot tell the bar interval") }
            if let interval, interval != fileInterval {
                throw BacktestRunError("\(file): interval \(fileInterval) differs from the other files' \(interval)")
            }
            interval = fileInterval
            guard !series.candles.isEmpty else { throw BacktestRunError("\(file): no candles") }
            bySymbol[symbol, default: []].append(series)
        }
        let symbols = bySymbol.keys.sorted()
        var candles: [[Candle]] = []
        for symbol in symbols {
            let parts = bySymbol[symbol]!.sorted { $0.candles[0].openTime < $1.candles[0].openTime }
            var joined: [Candle] = []
            joined.reserveCapacity(parts.reduce(0) { $0 + $1.candles.count })
            for part in parts {
                if let last = joined.last, part.candles[0].openTime <= last.openTime {
                    throw BacktestRunError("\(part.report.path): overlaps the previous \(symbol) file (starts \(part.candles[0].openTime), previous ends \(last.openTime))")
                }
                joined += part.candles
            }
            candles.append(joined)
        }
        var funding: [Symbol: [FundingRate]] = [:]
        for entry in fundingFiles {
            let pieces = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let symbol = Symbol(pieces[0]) else {
                throw BacktestRunError("funding_files entry '\(entry)' is not SYMBOL=path")
            }
            do { funding[symbol, default: []] += try FundingRateReader.readAll(path: pieces[1]).rates } catch { throw BacktestRunError("\(error)") }
            funding[symbol]!.sort { $0.fundingTime < $1.fundingTime }
        }
        let start = candles.map { $0[0].openTime }.min()!
        return BacktestData(symbols: symbols, candles: candles, interval: interval!.duration, start: start, funding: funding)
    }

    /// The symbol of `file`: `given` (`--symbol`) or the one its name says. A name in Binance's
    /// full pattern (`SYMBOL-INTERVAL-…`) that says another symbol than `given` is refused: the
    /// file is most likely not the one meant.
    static func fileSymbol(_ file: String, given: Symbol?) throws(BacktestRunError) -> Symbol {
        let name = DataFileName(path: file)
        guard let given else {
            guard let symbol = name.symbol else {
                throw BacktestRunError("\(file): cannot tell the symbol from the file name (expected SYMBOL-INTERVAL-...csv.gz); "
                                       + "give it with --symbol SYMBOL")
            }
            return symbol
        }
        if let named = name.symbol, name.interval != nil, named != given {
            throw BacktestRunError("\(file): the file name says \(named), --symbol says \(given); "
                                   + "give files of one symbol with --symbol, or leave --symbol out")
        }
        return given
    }

    func makeCursor() -> Cursor { Cursor(candles: candles) }

    /// Merges the symbols' candles in open-time order (ties: symbol order).
    struct Cursor {
        let candles: [[Candle]]
        var positions: [Int]

        init(candles: [[Candle]]) {
            self.candles = candles
            positions = Array(repeating: 0, count: candles.count)
        }

        mutating func next() -> (Int, Candle)? {
            if candles.count == 1 {
                guard positions[0] < candles[0].count else { return nil }
                defer { positions[0] += 1 }
                return (0, candles[0][positions[0]])
            }
            var best: Int?
            for index in candles.indices where positions[index] < candles[index].count {
                if let current = best, candles[current][positions[current]].openTime <= candles[index][positions[index]].openTime { continue }
                best = index
            }
            guard let best else { return nil }
            defer { positions[best] += 1 }
            return (best, candles[best][positions[best]])
        }
    }
}
