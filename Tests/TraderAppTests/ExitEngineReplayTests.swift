import CandleData
import Foundation
import Signals
import Testing
import TradingModel
import TraderApp
import TradingTestSupport

/// `qt train`'s exit-engine comparison: chosen signals replayed through the backtest kernel with
/// the exit engine of a configuration file.
@Suite(.ownThread) struct ExitEngineReplayTests {
    static let source = BacktestConfigTests.root + "/data/binance-usdm/FILUSDT-1m-2023-02-01_2023-02-28.csv.gz"

    @Test func signalsAreReplayedThroughTheExitEngine() throws {
        let candles = try CandleReader.readAll(path: Self.source, interval: .oneMinute).candles
        let day: Int64 = 86_400_000
        let first = candles[0].openTime.milliseconds
        // Five signals two days apart at 15-minute decision closes, alternating sides; one more long
        // 15 minutes after the first long, while it is open: the kernel ignores it (an opposite
        // signal would reverse the position, the kernel's rule in every backtest).
        var signals: [ChosenSignal] = []
        for index in 0..<5 {
            let time = Timestamp(milliseconds: first + Int64(2 * index + 1) * day + 15 * 60_000)
            let side: Side = index % 2 == 0 ? .long : .short
            signals.append(ChosenSignal(symbol: "FILUSDT", time: time, side: side, confidence: 0.7, fold: 0))
        }
        signals.append(ChosenSignal(symbol: "FILUSDT", time: Timestamp(milliseconds: signals[0].time.milliseconds + 15 * 60_000),
                                    side: .long, confidence: 0.7, fold: 0))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("qt-exit-replay-\(getpid())").path
        try? FileManager.default.removeItem(atPath: output)
        let comparison = try ExitEngineReplay.run(configPath: BacktestConfigTests.root + "/examples/ml-validated.toml",
                                                  candles: ["FILUSDT": candles], signals: signals, outputDirectory: output,
                                                  bootstrap: DayBlockBootstrap(resamples: 300, seed: 5))
        #expect(comparison.signalsReplayed == 6, "\(comparison)")
        #expect(comparison.trades == 5 && comparison.long.trades == 3 && comparison.short.trades == 2, "\(comparison)")
        #expect(comparison.exitReasons.values.reduce(0, +) == 5)
        #expect(abs((comparison.expectancy ?? 0) * 5 - comparison.totalReturn) < 1e-12)
        // The exit engine's expectancy carries a day-block interval over the signals' days (day 1 to day 9: 9 days).
        let interval = try #require(comparison.interval)
        #expect(interval.days == 9 && abs(interval.estimate - (comparison.expectancy ?? 0)) < 1e-12)
        #expect(interval.lower <= interval.estimate && interval.estimate <= interval.upper && interval.lower < interval.upper)
        #expect(FileManager.default.fileExists(atPath: output + "/trades.csv"))
        // Recorded funding is charged: 0.5% every 15 minutes costs the longs and pays the shorts.
        let funding = stride(from: first, to: candles.last!.openTime.milliseconds, by: 900_000).map {
            FundingRate(fundingTime: Timestamp(milliseconds: $0 + 450_000), rate: Rate(fraction: 0.005, .nearest))
        }
        let funded = try ExitEngineReplay.run(configPath: BacktestConfigTests.root + "/examples/ml-validated.toml", candles: ["FILUSDT": candles],
                                              signals: signals, outputDirectory: output + "-funded", funding: ["FILUSDT": funding])
        #expect(funded.trades == comparison.trades)
        #expect(funded.long.totalReturn < comparison.long.totalReturn && funded.short.totalReturn > comparison.short.totalReturn, "\(funded)")
        // A file without a [strategy] cannot size the replay.
        let bare = output + "-bare.toml"
        try "[exit]\nstop_policy = \"fixed-price-move\"\nstop_move = 0.012\n".write(toFile: bare, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) {
            _ = try ExitEngineReplay.run(configPath: bare, candles: ["FILUSDT": candles], signals: signals, outputDirectory: output + "-2")
        }
    }
}
