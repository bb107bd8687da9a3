import Foundation
import Signals
import TradingModel

/// Seeded synthetic one-minute candles for the tests.
enum SyntheticMarket {
    static let start: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

    /// A random walk; with `regimeDrift > 0`, a planted edge: the drift switches between
    /// up, down and flat regimes lasting ~`regimeMinutes`, which recent returns reveal.
    static func candles(seed: UInt64, count: Int, regimeDrift: Double = 0, regimeMinutes: Int = 480,
                        volatility: Double = 0.0005, startPrice: Double = 100, offsetMs: Int64 = 0) -> [Candle] {
        var random = SeededRandom(seed: seed)
        var price = startPrice
        var drift = 0.0
        var candles: [Candle] = []
        candles.reserveCapacity(count)
        for index in 0..<count {
            if regimeDrift > 0 && index % regimeMinutes == 0 {
                let draw = random.nextUnit()
                drift = draw < 0.4 ? regimeDrift : draw < 0.8 ? -regimeDrift : 0
            }
            let open = price
            let close = open * exp(drift + volatility * random.nextGaussian())
            let high = max(open, close) * (1 + abs(random.nextGaussian()) * volatility * 0.5)
            let low = min(open, close) * (1 - abs(random.nextGaussian()) * volatility * 0.5)
            let volume = 100 * exp(0.3 * random.nextGaussian())
            let taker = volume * min(0.95, max(0.05, 0.5 + 0.1 * random.nextGaussian()))
            candles.append(candle(minute: index, open: open, high: high, low: low, close: close, volume: volume, taker: taker, offsetMs: offsetMs))
            price = close
        }
        return candles
    }

    static func candle(minute: Int, open: Double, high: Double, low: Double, close: Double, volume: Double = 100,
                       taker: Double? = 50, offsetMs: Int64 = 0) -> Candle {
        func price(_ value: Double) -> Price { Price(raw: Int64((value * 1e8).rounded())) }
        return Candle(openTime: Timestamp(milliseconds: start + offsetMs + Int64(minute) * 60_000), open: price(open), high: price(high),
                      low: price(low), close: price(close), volume: Quantity(raw: Int64((volume * 1e8).rounded())),
                      takerBuyVolume: taker.map { Quantity(raw: Int64(($0 * 1e8).rounded())) })
    }

    /// Minutes of contiguous history the features need first (`FeatureEngine.warmUp`) plus the
    /// partial first hour: synthetic series add this many candles in front of what a test uses.
    static let warmUpMinutes = (FeatureEngine.warmUp.hourBars + 1) * 60

    static func temporaryDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "signals-tests-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Small, fast settings for tests: 0.4% barriers, 1 h horizon, 0.1% fees.
    static let testLabels = TripleBarrierSettings(takeProfitPriceMove: 0.004, stopPriceMove: 0.004, horizonBars: 60, roundTripFeeRate: 0.001)

    static func plan(folds: Int = 3, rounds: Int = 40) -> TrainingPlan {
        TrainingPlan(labelSettings: testLabels, decisionIntervalMinutes: 5,
                     walkForward: WalkForwardSettings(folds: folds, initialTrainingFraction: 0.4, calibrationFraction: 0.25, embargoMinutes: 60),
                     boosting: BoostingSettings(rounds: rounds, learningRate: 0.1, maxDepth: 3, minChildSamples: 20), contextSymbol: nil,
                     statistics: StatisticsSettings(bootstrapResamples: 400, randomBaselineDraws: 50))
    }
}
