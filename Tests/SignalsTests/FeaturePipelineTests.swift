import Foundation
import Signals
import Testing
import TradingModel
import TradingTestSupport

@Suite(.ownThread) struct FeaturePipelineTests {
    /// Minutes added in front of the original scenarios for the longer warm-up (`FeatureEngine.warmUp`).
    static let e = SyntheticMarket.warmUpMinutes - 2160
    static let symbols: [Symbol] = ["AAAUSDT", "BBBUSDT", "CCCUSDT"]
    static let featureSet = FeatureSet.standard(marketContext: true)

    static func market(cut: Int? = nil) -> [Symbol: [Candle]] {
        var result: [Symbol: [Candle]] = [:]
        for (offset, symbol) in symbols.enumerated() {
            var candles = SyntheticMarket.candles(seed: 50 + UInt64(offset), count: (Self.e + 2300), startPrice: 10 * Double(offset + 1))
            if let cut, symbol == "BBBUSDT" {
                candles = Array(candles.prefix(cut + 1)) + SyntheticMarket.candles(seed: 77, count: (Self.e + 2300), startPrice: 500).suffix(from: cut + 1)
            }
            result[symbol] = candles
        }
        return result
    }

    /// Drives the pipeline minute by minute, symbols in the given order within each minute.
    static func vectors(_ market: [Symbol: [Candle]], order: [Symbol]) throws -> [Symbol: [FeatureVector?]] {
        var pipeline = FeaturePipeline(featureSet: featureSet, contextSource: .basket(symbols))
        var result: [Symbol: [FeatureVector?]] = [:]
        for minute in 0..<(Self.e + 2300) {
            for symbol in order { result[symbol, default: []].append(try pipeline.onCandle(market[symbol]![minute], symbol: symbol)) }
        }
        return result
    }

    @Test func basketIndexMovesByTheMeanLogReturn() throws {
        var basket = BasketIndex(members: ["AAAUSDT", "BBBUSDT"])
        #expect(basket.onCandle(SyntheticMarket.candle(minute: 0, open: 100, high: 100, low: 100, close: 100), symbol: "AAAUSDT").isEmpty)
        let first = basket.onCandle(SyntheticMarket.candle(minute: 0, open: 200, high: 200, low: 200, close: 200), symbol: "BBBUSDT")
        #expect(first.map(\.close.doubleValue) == [1000])  // no returns yet: the index starts at 1000
        #expect(basket.onCandle(SyntheticMarket.candle(minute: 1, open: 100, high: 110, low: 100, close: 110), symbol: "AAAUSDT").isEmpty)
        let second = basket.onCandle(SyntheticMarket.candle(minute: 1, open: 200, high: 200, low: 180, close: 180), symbol: "BBBUSDT")
        // mean log return = (ln 1.1 + ln 0.9) / 2 = ln(0.99) / 2 → 1000 × √0.99 = 994.98743710…
        #expect(abs(try #require(second.first).close.doubleValue - 1000 * 0.99.squareRoot()) < 1e-7)
        #expect(basket.onCandle(SyntheticMarket.candle(minute: 0, open: 1, high: 1, low: 1, close: 1), symbol: "ZZZUSDT").isEmpty)
    }

    /// With a basket context, altering one member's data after `cut` leaves every symbol's
    /// features up to `cut` unchanged, and the order of symbols within a minute does not matter.
    @Test func basketContextHasNoLookAheadAndNoOrderDependence() throws {
        let cut = (Self.e + 2200)
        let reference = try Self.vectors(Self.market(), order: Self.symbols)
        let altered = try Self.vectors(Self.market(cut: cut), order: Self.symbols)
        let reversed = try Self.vectors(Self.market(), order: Self.symbols.reversed())
        let contextColumn = Self.featureSet.names.firstIndex(of: "context.return_60m")!
        #expect(reference["AAAUSDT"]![cut]?.values[contextColumn].isFinite == true)
        for symbol in Self.symbols {
            for minute in 0...cut { #expect(reference[symbol]![minute] == altered[symbol]![minute]) }
            #expect(reference[symbol]! == reversed[symbol]!)
        }
        #expect(reference["AAAUSDT"]![cut + 2] != altered["AAAUSDT"]![cut + 2])  // context saw BBB's new minute cut+1
    }

    /// The dataset builder (batch) produces exactly the pipeline's (incremental) vectors.
    @Test func datasetUsesThePipelineVectors() throws {
        let market = Self.market()
        let settings = TripleBarrierSettings(takeProfitPriceMove: 0.004, stopPriceMove: 0.004, horizonBars: 30, roundTripFeeRate: 0.001)
        let dataset = try SignalDataset.build(candles: market, featureSet: Self.featureSet, labelSettings: settings,
                                              decisionIntervalMinutes: 5, contextSource: .basket(Self.symbols))
        let incremental = try Self.vectors(market, order: Self.symbols)
        #expect(dataset.samples.count > 100)
        for sample in dataset.samples {
            let minute = Int((sample.time.milliseconds - SyntheticMarket.start) / 60_000) - 1
            let vector = try #require(incremental[sample.symbol]![minute])
            #expect(vector.values.map(\.bitPattern) == sample.features.map(\.bitPattern))
        }
    }
}
