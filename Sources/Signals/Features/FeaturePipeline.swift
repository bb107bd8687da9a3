import TradingModel

/// Features for several symbols at once: one `FeatureEngine` per symbol plus the market context.
/// The strategy feeds it live or in a backtest; `SignalDataset` feeds it the merged history in
/// the same (open time, symbol) order. O(1) per candle (O(members) per basket minute).
///
/// `restartsAtGaps` (the `ml-ensemble` strategy, in backtests, paper and live alike): when a
/// symbol's candle does not follow its previous one by exactly one minute, that symbol's
/// indicators restart (`FeatureEngine.restartIndicators`) and it has no features until its
/// lookback is complete again; a gap in the market context's minutes restarts the context, and
/// no symbol has features until the context is warm again. Without gaps the output is the same
/// either way. Training (`SignalDataset`) runs without it.
public struct FeaturePipeline: Sendable {
    public let featureSet: FeatureSet
    public let restartsAtGaps: Bool
    private var engines: [Symbol: FeatureEngine] = [:]
    private var context: MarketContextTracker?
    /// The last indicator restart: the symbol, the candle after the gap and the minutes missing.
    public private(set) var lastRestart: (symbol: Symbol, openTime: Timestamp, missingMinutes: Int)?
    /// Indicator restarts so far (every symbol).
    public private(set) var restarts = 0

    /// - Parameter contextSource: required when `featureSet` has context features.
    public init(featureSet: FeatureSet, contextSource: MarketContextSource?, restartsAtGaps: Bool = false) {
        self.featureSet = featureSet
        self.restartsAtGaps = restartsAtGaps
        context = contextSource.map { MarketContextTracker(source: $0, restartsAtGaps: restartsAtGaps) }
    }

    /// Processes one one-minute candle of `symbol`; returns its features at the candle's close
    /// (nil while warming up). Context features use the context of the previous minute's close.
    public mutating func onCandle(_ candle: Candle, symbol: Symbol, funding: Rate? = nil) throws(FeatureEngineError) -> FeatureVector? {
        context?.onCandle(candle, symbol: symbol)
        var engine = engines[symbol] ?? FeatureEngine(featureSet: featureSet)
        if restartsAtGaps, let last = engine.lastCandleOpenTime, candle.openTime.milliseconds - last.milliseconds > 60_000 {
            engine.restartIndicators()
            restarts += 1
            lastRestart = (symbol, candle.openTime, Int((candle.openTime.milliseconds - last.milliseconds) / 60_000 - 1))
        }
        let previousClose = Timestamp(milliseconds: candle.openTime.milliseconds)
        let vector = try engine.onCandle(candle, funding: funding, context: context?.snapshot(closingAt: previousClose))
        engines[symbol] = engine
        if restartsAtGaps, context?.isRewarming(at: previousClose) == true { return nil }
        return vector
    }
}
