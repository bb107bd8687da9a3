import Testing
import TradingEngine
import TradingModel

@Suite("Hourly bars built from observed candles")
struct SymbolHistoryTests {
    func candle(minute: Int64, open: String, high: String, low: String, close: String) -> Candle {
        Candle(openTime: RiskFixtures.start.advanced(by: .seconds(minute * 60)), open: Price(open)!, high: Price(high)!,
               low: Price(low)!, close: Price(close)!, volume: Quantity(units: 10))
    }

    @Test("twelve 5m candles make one hourly bar: first open, highest high, lowest low, last close, summed volume")
    func aggregatesFiveMinuteCandles() throws {
        var history = SymbolHistory(capacity: 10)
        for index in 0..<12 {
            let base = 10 + Double(index) / 10
            let open = String(base), close = String(base + 0.05)
            let high = index == 4 ? "12.5" : String(base + 0.08)
            let low = index == 7 ? "9.1" : String(base - 0.02)
            history.observe(.candle("ATOMUSDT", candle(minute: Int64(index) * 5, open: open, high: high, low: low, close: close), interval: .seconds(300)))
            #expect(history.hourlyBars.count == (index == 11 ? 1 : 0), "the hour is complete only with its last candle")
        }
        let bar = try #require(history.hourlyBars.first)
        #expect(bar.openTime == RiskFixtures.start)
        #expect(bar.open == Price("10")! && bar.high == Price("12.5")! && bar.low == Price("9.1")! && bar.close == Price("11.15")!)
        #expect(bar.volume == Quantity(units: 120))
        #expect(history.lastCandleClose == RiskFixtures.start.advanced(by: .seconds(3600)))
    }

    @Test("a gap closes the unfinished hour when a later hour starts; out-of-order candles are ignored")
    func gapsAndOrder() {
        var history = SymbolHistory(capacity: 10)
        history.observe(.candle("ATOMUSDT", candle(minute: 0, open: "10", high: "10.2", low: "9.9", close: "10.1"), interval: .seconds(60)))
        history.observe(.candle("ATOMUSDT", candle(minute: 30, open: "10.1", high: "10.3", low: "10", close: "10.2"), interval: .seconds(60)))
        #expect(history.hourlyBars.isEmpty)
        history.observe(.candle("ATOMUSDT", candle(minute: 61, open: "10.2", high: "10.4", low: "10.1", close: "10.3"), interval: .seconds(60)))
        #expect(history.hourlyBars.map(\.close) == [Price("10.2")!])
        history.observe(.candle("ATOMUSDT", candle(minute: 5, open: "1", high: "1", low: "1", close: "1"), interval: .seconds(60)))
        #expect(history.lastCandleClose == RiskFixtures.start.advanced(by: .seconds(62 * 60)))
    }

    @Test("hourly returns pair only consecutive hours; capacity drops the oldest bars")
    func returnsAndCapacity() {
        var history = SymbolHistory(capacity: 3)
        let candles = RiskFixtures.hourlyCandles(startPrice: 10, drift: 0.01, shocks: [0, 0, 0, 0, 0])
        for candle in candles { history.observe(.candle("ATOMUSDT", candle, interval: .seconds(3600))) }
        #expect(history.hourlyBars.count == 3)
        #expect(history.hourlyBars.first?.openTime == candles[2].openTime)
        let returns = history.hourlyReturns()
        #expect(returns.count == 2)
        // 10 × 1.01^n: every hourly return is 1% (to the 1e-5 price grid of the fixture)
        #expect(returns.allSatisfy { abs($0.value - 0.01) < 1e-5 })
    }
}

@Suite("Indicator formulas")
struct TechnicalIndicatorTests {
    @Test("EMA(3) seeded with the SMA: [1,2,3] → 2, then 2 + 0.5 × (4 − 2) = 3")
    func ema() {
        #expect(TechnicalIndicators.exponentialMovingAverage([1, 2, 3, 4], period: 3) == [2, 3])
        #expect(TechnicalIndicators.exponentialMovingAverage([1, 2], period: 3) == nil)
    }

    @Test("correlation: identical series 1, mirrored −1, constant undefined")
    func correlation() {
        #expect(TechnicalIndicators.correlation([1, 2, 3, 5], [2, 4, 6, 10]).map { abs($0 - 1) < 1e-12 } == true)
        #expect(TechnicalIndicators.correlation([1, 2, 3], [3, 2, 1]).map { abs($0 + 1) < 1e-12 } == true)
        #expect(TechnicalIndicators.correlation([1, 1, 1], [1, 2, 3]) == nil)
    }

    @Test("mid-rank percentile: a constant series is 0.5, the maximum of 4 distinct values is 0.875")
    func percentile() {
        #expect(TechnicalIndicators.percentileOfLast([2, 2, 2]) == 0.5)
        #expect(TechnicalIndicators.percentileOfLast([1, 2, 3, 4]) == 0.875)
    }

    @Test("ADX of a steady climb is high with +DI above −DI")
    func adx() throws {
        let close = (0..<40).map { 100 + Double($0) }
        let result = try #require(TechnicalIndicators.averageDirectionalIndex(high: close.map { $0 + 0.5 }, low: close.map { $0 - 0.5 }, close: close, period: 14))
        #expect(result.adx > 90 && result.plusDI > result.minusDI)
    }
}
