import ArgumentParser
import CandleData
import Foundation
import Signals
import TradingModel

/// `qt model bench MODEL_DIR --data FILE`: inference time for one symbol and one bar
/// (features + every ensemble member, calibrated). Used by the bench script.
struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure per-bar inference time (features + both models) on a one-minute kline file."
    )

    @Argument(help: "Directory written by `qt train`.")
    var modelDirectory: String

    @Option(name: .long, parsing: .upToNextOption, help: "One-minute kline files: the timed symbol first, then the market-context members.")
    var data: [String]

    @Option(name: .long, help: "Bars to time after warm-up.")
    var bars = 5000

    func run() throws {
        do {
            let ensemble = try SignalEnsemble.load(directory: modelDirectory)
            var candles: [Symbol: [Candle]] = [:]
            for path in data {
                guard let symbol = DataFileName(path: path).symbol else { throw TrainError("\(path): file name must start with the symbol") }
                candles[symbol, default: []] += try CandleReader.readAll(path: path, interval: .oneMinute).candles
            }
            guard let first = data.first, let target = DataFileName(path: first).symbol else { throw TrainError("give --data FILE...") }
            let result = try InferenceBenchmark.run(ensemble: ensemble, candles: candles, target: target, bars: bars, clock: ContinuousClock())
            let microseconds = TrainRunner.seconds(result.perBar) * 1e6
            print(String(format: "inference per bar, %@ (features + %d models): %.1f µs over %d bars", target.name, ensemble.members.count,
                         microseconds, result.bars))
        } catch {
            FileHandle.standardError.write(Data("qt model bench: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
