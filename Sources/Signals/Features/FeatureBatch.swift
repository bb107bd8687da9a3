import TradingModel

/// Batch feature computation for training and tests. It only drives `FeatureEngine` and
/// `MarketContextEngine` candle by candle, exactly as a live or backtest run would.
public enum FeatureBatch {
    /// Context snapshots of the reference symbol, keyed by bar close time (ms).
    public static func contextSnapshots(candles: [Candle]) -> [Int64: MarketContextSnapshot] {
        var engine = MarketContextEngine()
        var snapshots: [Int64: MarketContextSnapshot] = [:]
        for candle in candles {
            engine.onCandle(candle)
            if let snapshot = engine.snapshot { snapshots[snapshot.time.milliseconds] = snapshot }
        }
        return snapshots
    }

    /// The feature vector after each candle (nil while warming up), aligned with `candles`.
    /// - Parameters:
    ///   - funding: settlements sorted by time; each applies from its `fundingTime` on.
    ///   - contexts: from `contextSnapshots`, when the feature set uses a market context; each bar
    ///     uses the snapshot of the previous minute's close (as `FeaturePipeline` does).
    public static func features(featureSet: FeatureSet, candles: [Candle], funding: [FundingRate] = [],
                                contexts: [Int64: MarketContextSnapshot] = [:]) throws(FeatureEngineError) -> [FeatureVector?] {
        var engine = FeatureEngine(featureSet: featureSet)
        var result: [FeatureVector?] = []
        result.reserveCapacity(candles.count)
        var fundingIndex = 0
        for candle in candles {
            let closeTime = candle.openTime.milliseconds + 60_000
            var latestFunding: Rate?
            while fundingIndex < funding.count && funding[fundingIndex].fundingTime.milliseconds <= closeTime {
                latestFunding = funding[fundingIndex].rate
                fundingIndex += 1
            }
            result.append(try engine.onCandle(candle, funding: latestFunding, context: contexts[candle.openTime.milliseconds]))
        }
        return result
    }
}
