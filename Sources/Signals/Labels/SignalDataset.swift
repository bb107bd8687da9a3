import TradingModel

/// Labelled samples of one or more symbols, sorted by time (then symbol), with the identity of
/// the data they came from.
public struct SignalDataset: Sendable {
    public var featureSet: FeatureSet
    public var labelSettings: TripleBarrierSettings
    public var samples: [LabeledSample]
    /// SHA-256 over every input candle (symbol, open time, OHLCV raw values).
    public var dataHash: String
    /// First and last candle open times of the input.
    public var dataStart: Timestamp
    public var dataEnd: Timestamp
    /// Decision bars dropped because a required feature was NaN (e.g. context missing).
    public var droppedForMissingFeatures: Int
    /// Decision bars with features dropped because their label window was not contiguous
    /// (minutes missing within the horizon after them: the label would use prices after a gap).
    public var droppedForGaps: Int
    /// Indicator restarts at gaps in the 1 m candles (every symbol).
    public var featureRestarts: Int

    /// Builds samples every `decisionIntervalMinutes` from one-minute candles, driving one
    /// `FeaturePipeline` over all symbols merged in (open time, symbol) order — exactly the
    /// order a backtest feeds the strategy — with `restartsAtGaps` as backtests, paper and live
    /// run it: minutes missing before a candle restart that symbol's indicators (no features
    /// until the warm-up is complete again), a gap in the market context rewarms the context.
    /// A decision bar whose label window is not contiguous (`t[i+H] − t[i] ≠ H` minutes) is
    /// dropped (`droppedForGaps`), so no label is computed from prices after a gap.
    /// - Parameters:
    ///   - candles: one-minute candles per symbol, each sorted by open time.
    ///   - contextSource: market context; required when the feature set has context features.
    public static func build(candles: [Symbol: [Candle]], funding: [Symbol: [FundingRate]] = [:], featureSet: FeatureSet,
                             labelSettings: TripleBarrierSettings, decisionIntervalMinutes: Int,
                             contextSource: MarketContextSource?) throws -> SignalDataset {
        try labelSettings.validate()
        guard decisionIntervalMinutes >= 1 else {
            throw SignalsError.invalidSetting(key: "decision_interval_minutes", message: "must be at least 1")
        }
        let usesContext = featureSet.names.contains(MarketContextEngine.featureNames[0])
        if usesContext {
            guard let contextSource, contextSource.members.allSatisfy({ candles[$0] != nil }) else {
                throw SignalsError.invalidSetting(key: "context_symbol", message: "feature set \(featureSet.name) needs the context symbols' candles")
            }
        }
        let symbols = candles.keys.sorted()
        var hasher = ContentDigest()
        var start = Int64.max, end = Int64.min
        for symbol in symbols {
            let series = candles[symbol] ?? []
            hasher.update(symbol.name)
            for candle in series {
                hasher.update(candle.openTime.milliseconds)
                for raw in [candle.open.raw, candle.high.raw, candle.low.raw, candle.close.raw, candle.volume.raw] { hasher.update(raw) }
            }
            if let first = series.first { start = min(start, first.openTime.milliseconds) }
            if let last = series.last { end = max(end, last.openTime.milliseconds) }
        }
        // Merge by (open time, symbol) and drive the pipeline.
        var pipeline = FeaturePipeline(featureSet: featureSet, contextSource: usesContext ? contextSource : nil, restartsAtGaps: true)
        var vectors: [Symbol: [FeatureVector?]] = [:]
        var cursors = Dictionary(uniqueKeysWithValues: symbols.map { ($0, 0) })
        var fundingCursors = Dictionary(uniqueKeysWithValues: symbols.map { ($0, 0) })
        while true {
            var next: (symbol: Symbol, time: Int64)?
            for symbol in symbols {
                guard let index = cursors[symbol], let series = candles[symbol], index < series.count else { continue }
                let time = series[index].openTime.milliseconds
                if next == nil || time < next!.time { next = (symbol, time) }
            }
            guard let (symbol, _) = next, let series = candles[symbol], let index = cursors[symbol] else { break }
            let candle = series[index]
            let rates = funding[symbol] ?? []
            var fundingIndex = fundingCursors[symbol] ?? 0
            var latestFunding: Rate?
            while fundingIndex < rates.count && rates[fundingIndex].fundingTime.milliseconds <= candle.openTime.milliseconds + 60_000 {
                latestFunding = rates[fundingIndex].rate
                fundingIndex += 1
            }
            fundingCursors[symbol] = fundingIndex
            vectors[symbol, default: []].append(try pipeline.onCandle(candle, symbol: symbol, funding: latestFunding))
            cursors[symbol] = index + 1
        }
        let labeler = TripleBarrierLabeler(settings: labelSettings)
        let requiredColumns = featureSet.names.indices.filter { !featureSet.optionalNames.contains(featureSet.names[$0]) }
        let intervalMs = Int64(decisionIntervalMinutes) * 60_000
        var samples: [LabeledSample] = []
        var dropped = 0, droppedForGaps = 0
        for symbol in symbols {
            let series = candles[symbol] ?? []
            let symbolVectors = vectors[symbol] ?? []
            let schedule = FundingSchedule(fundingRates: funding[symbol] ?? [], assumedRate: labelSettings.assumedFundingRate)
            for index in series.indices {
                guard let vector = symbolVectors[index], vector.time.milliseconds % intervalMs == 0 else { continue }
                guard index + labelSettings.horizonBars < series.count else { continue }  // the data ends: no label yet
                guard labeler.labelWindowIsContiguous(candles: series, at: index) else {
                    droppedForGaps += 1
                    continue
                }
                guard let outcome = labeler.outcome(candles: series, at: index, funding: schedule) else { continue }
                if requiredColumns.contains(where: { !vector.values[$0].isFinite }) {
                    dropped += 1
                    continue
                }
                let previousIndex = index - decisionIntervalMinutes
                let previousContiguous = previousIndex >= 0
                    && series[index].openTime.milliseconds - series[previousIndex].openTime.milliseconds == intervalMs
                let previousReturn = previousContiguous ? log(series[index].close.doubleValue / series[previousIndex].close.doubleValue) : 0
                samples.append(LabeledSample(symbol: symbol, time: vector.time, endTime: outcome.endTime, features: vector.values,
                                             label: outcome.label, longReturn: outcome.longReturn, shortReturn: outcome.shortReturn,
                                             previousReturn: previousReturn, longExitTime: outcome.longExitTime,
                                             shortExitTime: outcome.shortExitTime))
            }
        }
        samples.sort { ($0.time, $0.symbol) < ($1.time, $1.symbol) }
        guard !samples.isEmpty else {
            throw SignalsError.insufficientData("no labelled samples (each contiguous stretch needs the \(FeatureEngine.warmUp.hourBars)-hour warm-up plus the label horizon)")
        }
        return SignalDataset(featureSet: featureSet, labelSettings: labelSettings, samples: samples, dataHash: hasher.finalize(),
                             dataStart: Timestamp(milliseconds: start), dataEnd: Timestamp(milliseconds: end),
                             droppedForMissingFeatures: dropped, droppedForGaps: droppedForGaps, featureRestarts: pipeline.restarts)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
