import TradingModel

/// Inference cost for one symbol and one bar: `FeaturePipeline.onCandle` (features, and the
/// market context when the model uses one) plus the ensemble's calibrated prediction (every
/// member) — what `MLEnsembleStrategy` does on a decision bar. The clock is injected (engine
/// code never reads one itself).
public enum InferenceBenchmark {
    public struct Result: Sendable, Hashable {
        public var bars: Int
        public var total: Duration
        public var perBar: Duration { total / bars }
    }

    /// Feeds all symbols minute by minute; after warm-up, times the target symbol's candles
    /// (pipeline + prediction) for up to `bars` bars. Other symbols' updates are not timed.
    public static func run<C: Clock>(ensemble: SignalEnsemble, candles: [Symbol: [Candle]], target: Symbol, bars: Int,
                                     clock: C) throws -> Result where C.Duration == Duration {
        guard let targetCandles = candles[target] else { throw SignalsError.insufficientData("no candles for \(target)") }
        var pipeline = FeaturePipeline(featureSet: ensemble.featureSet, contextSource: ensemble.manifest.marketContext)
        var history = ensemble.makeHistory()
        let others = candles.keys.filter { $0 != target }.sorted()
        var cursors = Dictionary(uniqueKeysWithValues: others.map { ($0, 0) })
        var measured = 0
        var total = Duration.zero
        var sink = 0.0
        for candle in targetCandles {
            for symbol in others {
                guard let series = candles[symbol], var cursor = cursors[symbol] else { continue }
                while cursor < series.count && series[cursor].openTime <= candle.openTime {
                    _ = try pipeline.onCandle(series[cursor], symbol: symbol)
                    cursor += 1
                }
                cursors[symbol] = cursor
            }
            let started = clock.now
            if let vector = try pipeline.onCandle(candle, symbol: target) {
                history?.record(vector, symbol: target)
                sink += try ensemble.predictProbabilities(vector, symbol: target, history: history).long
                total += started.duration(to: clock.now)
                measured += 1
                if measured == bars { break }
            }
        }
        guard measured > 0 else { throw SignalsError.insufficientData("need more candles than the \(FeatureEngine.warmUp.hourBars)-hour warm-up for the benchmark") }
        precondition(sink.isFinite, "probabilities must be finite")
        return Result(bars: measured, total: total)
    }
}
