import Backtest
import Foundation
import Signals
import TradingConfig
import TradingEngine
import TradingModel

/// Evaluates a model's chosen out-of-sample signals under the exits that will trade them: the
/// signals are replayed at their decision bars through the backtest kernel with the
/// fixed-notional entry gate and the exit engine (`[exit]`: stop, harvest ladder, break-even,
/// profit lock, backstop) of a configuration file, on the same candles. The kernel holds one
/// position per symbol, so a signal while one is open is ignored, as in any backtest.
public enum ExitEngineReplay {
    /// - Parameters:
    ///   - configPath: a backtest configuration; its `[exit]`, `[fees]`, `[backtest]` and
    ///     `[strategy]` sizing are used, with `entry_gate = "fixed-notional"` and
    ///     `policy = "exit-engine"` imposed.
    ///   - outputDirectory: where the replay's run folder (trades.csv, report.html) is written.
    ///   - bootstrap: the interval of the expectancy (day blocks over `window`, by entry time);
    ///     nil: no interval.
    ///   - window: the days the trades are judged over (the pooled test windows); nil: the
    ///     signals' first to last time.
    ///   - observedDays: the window's days with decision bars (the barrier figures' days); nil:
    ///     every day of the window.
    ///   - funding: recorded funding rates by symbol (the `--data` funding files), charged as in
    ///     a backtest with `funding = "file"`; without them the file's `[backtest] funding`
    ///     applies (`"none"` pays none, `"constant"` its rate).
    public static func run(configPath: String, candles: [Symbol: [Candle]], signals: [ChosenSignal], outputDirectory: String,
                           bootstrap: DayBlockBootstrap? = nil, window: (start: Timestamp, end: Timestamp)? = nil,
                           observedDays: Set<Int64>? = nil, funding: [Symbol: [FundingRate]] = [:]) throws -> ExitEngineComparison {
        var config = try AppConfig(from: try ConfigDocument.load(path: configPath))
        guard var strategy = config.strategy else {
            throw BacktestRunError("\(configPath): exit_config needs a [strategy] section (its notional and leverage size the replay)")
        }
        strategy.entryGate = .fixedNotional
        config.strategy = strategy
        config.execution.policy = .exitEngine
        if !funding.isEmpty { config.backtest.funding = .file }
        let symbols = candles.keys.filter { symbol in signals.contains { $0.symbol == symbol } }.sorted()
        guard let first = signals.map(\.time).min() else {
            return ExitEngineComparison(configuration: configPath, signalsReplayed: 0, trades: 0, wins: 0, expectancy: nil, totalReturn: 0,
                                        profitFactor: nil, long: SideFigures([]), short: SideFigures([]), exitReasons: [:])
        }
        // From the first signal's bar on (its close is the signal's time).
        let series = symbols.map { symbol in (candles[symbol] ?? []).filter { $0.openTime.milliseconds >= first.milliseconds - 60_000 } }
        let data = BacktestData(symbols: symbols, candles: series, interval: .seconds(60),
                                start: series.compactMap { $0.first?.openTime }.min() ?? first,
                                funding: funding.filter { symbols.contains($0.key) })
        let strategies = symbols.map { symbol in
            ScheduledSignalStrategy(signals: signals.filter { $0.symbol == symbol }.map {
                Signal(symbol: symbol, side: $0.side, confidence: $0.confidence, time: $0.time, source: "walk-forward fold \($0.fold + 1)")
            })
        }
        let result = try BacktestRunner.run(config: config, data: data, strategies: strategies, dataFiles: [], outputDirectory: outputDirectory,
                                            store: nil)
        var longWins = 0, shortWins = 0, longTotal = 0.0, shortTotal = 0.0, longCount = 0, shortCount = 0
        var gains = 0.0, losses = 0.0
        var reasons: [String: Int] = [:]
        var values: [(time: Timestamp, value: Double)] = []
        for trade in result.output.trades {
            let notional = trade.entryPrice.doubleValue * trade.quantity.doubleValue
            guard notional > 0 else { continue }
            let value = trade.netPnL.doubleValue / notional
            values.append((trade.entryTime, value))
            if value > 0 { gains += value } else { losses -= value }
            reasons[trade.exitReason.rawValue, default: 0] += 1
            if trade.side == .long {
                longCount += 1
                longTotal += value
                if value > 0 { longWins += 1 }
            } else {
                shortCount += 1
                shortTotal += value
                if value > 0 { shortWins += 1 }
            }
        }
        let trades = longCount + shortCount
        let last = signals.map(\.time).max() ?? first
        let interval = values.isEmpty ? nil
            : bootstrap?.interval(values: values, windowStart: window?.start ?? first, windowEnd: window?.end ?? last, observedDays: observedDays)
        return ExitEngineComparison(configuration: configPath, signalsReplayed: signals.count, trades: trades, wins: longWins + shortWins,
                                    expectancy: trades > 0 ? (longTotal + shortTotal) / Double(trades) : nil, totalReturn: longTotal + shortTotal,
                                    profitFactor: losses > 0 ? gains / losses : nil,
                                    long: SideFigures(trades: longCount, wins: longWins, totalReturn: longTotal),
                                    short: SideFigures(trades: shortCount, wins: shortWins, totalReturn: shortTotal), exitReasons: reasons,
                                    interval: interval)
    }
}

/// A strategy that emits given signals at their decision bars (the bar whose close is the
/// signal's time) and nothing else.
struct ScheduledSignalStrategy: TradingStrategy {
    private let signals: [Signal]
    private var next = 0

    init(signals: [Signal]) { self.signals = signals.sorted { $0.time < $1.time } }

    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        while next < signals.count && signals[next].time < closeTime { next += 1 }
        guard next < signals.count, signals[next].time == closeTime else { return nil }
        defer { next += 1 }
        return signals[next]
    }
}
