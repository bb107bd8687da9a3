import TradingModel

/// Features for several symbols at once: one `FeatureEngine` per symbol plus the market context.
/// The strategy feeds it live or in a backtest; `SignalDataset` feeds it the merged history in
/// the same (open time, symbol) order. O(1) per candle (O(members) per basket minute).
public struct FeaturePipeline: Sendable {
    public let featureSet: FeatureSet
    private var engines: [Symbol: FeatureEngine] = [:]
    private var context: MarketContextTracker?

    /// - Parameter contextSource: required when `featureSet` has context features.
    public init(featureSet: FeatureSet, contextSource: MarketContextSource?) {
        self.featureSet = featureSet
        context = contextSource.map(MarketContextTracker.init)
    }

    /// Processes one one-minute candle of `symbol`; returns its features at the candle's close
    /// (nil while warming up). Context features use the context of the previous minute's close.
    public mutating func onCandle(_ candle: Candle, symbol: Symbol, funding: Rate? = nil) throws(FeatureEngineError) -> FeatureVector? {
        context?.onCandle(candle, symbol: symbol)
        var engine = engines[symbol] ?? FeatureEngine(featureSet: featureSet)
        let previousClose = Timestamp(milliseconds: candle.openTime.milliseconds)
        let vector = try engine.onCandle(candle, funding: funding, context: context?.snapshot(closingAt: previousClose))
        engines[symbol] = engine
        return vector
    }
}
