import TradingModel

/// Inference cost for one symbol and one bar: `FeatureEngine.onCandle` plus the ensemble's
/// calibrated prediction (every member), as the strategy does on a decision bar.
/// The clock is injected (engine code never reads one itself).
public enum InferenceBenchmark {
    public struct Result: Sendable, Hashable {
        public var bars: Int
        public var total: Duration
        public var perBar: Duration { total / bars }
    }

    /// Warms the features on the first candles, then times features + prediction on each of the
    /// next `bars` candles.
    public static func run<C: Clock>(ensemble: SignalEnsemble, candles: [Candle], bars: Int, clock: C) throws -> Result
        where C.Duration == Duration {
        var engine = FeatureEngine(featureSet: ensemble.featureSet)
        var index = 0
        while index < candles.count, try engine.onCandle(candles[index]) == nil { index += 1 }
        index += 1
        let measured = min(bars, candles.count - index)
        guard measured > 0 else { throw SignalsError.insufficientData("need more candles than the ~35 h warm-up for the benchmark") }
        var sink = 0.0
        let started = clock.now
        for candle in candles[index..<index + measured] {
            guard let vector = try engine.onCandle(candle) else { continue }
            sink += try ensemble.predictProbabilities(vector).long
        }
        let total = started.duration(to: clock.now)
        precondition(sink.isFinite, "probabilities must be finite")
        return Result(bars: measured, total: total)
    }
}
