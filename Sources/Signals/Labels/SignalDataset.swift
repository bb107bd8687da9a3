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

    /// Builds samples every `decisionIntervalMinutes` from one-minute candles, driving one
    /// `FeaturePipeline` over all symbols merged in (open time, symbol) order — exactly the
    /// order a backtest feeds the strategy.
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
        var hasher = SHA256.Hasher()
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
        var pipeline = FeaturePipeline(featureSet: featureSet, contextSource: usesContext ? contextSource : nil)
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
        var dropped = 0
        for symbol in symbols {
            let series = candles[symbol] ?? []
            let symbolVectors = vectors[symbol] ?? []
            for index in series.indices {
                guard let vector = symbolVectors[index], vector.time.milliseconds % intervalMs == 0,
                      index >= decisionIntervalMinutes, let outcome = labeler.outcome(candles: series, at: index)
                else { continue }
                if requiredColumns.contains(where: { !vector.values[$0].isFinite }) {
                    dropped += 1
                    continue
                }
                let previousClose = series[index - decisionIntervalMinutes].close.doubleValue
                samples.append(LabeledSample(symbol: symbol, time: vector.time, endTime: outcome.endTime, features: vector.values,
                                             label: outcome.label, longReturn: outcome.longReturn, shortReturn: outcome.shortReturn,
                                             previousReturn: log(series[index].close.doubleValue / previousClose)))
            }
        }
        samples.sort { ($0.time, $0.symbol) < ($1.time, $1.symbol) }
        guard !samples.isEmpty else { throw SignalsError.insufficientData("no labelled samples (need warm-up of ~35 h plus the label horizon)") }
        return SignalDataset(featureSet: featureSet, labelSettings: labelSettings, samples: samples, dataHash: hasher.finalize(),
                             dataStart: Timestamp(milliseconds: start), dataEnd: Timestamp(milliseconds: end),
                             droppedForMissingFeatures: dropped)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
