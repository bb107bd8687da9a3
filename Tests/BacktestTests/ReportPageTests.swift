import Backtest
import Foundation
import Testing
import TradingEngine
import TradingModel

/// `report.html`: the embedded data decodes back to the run (every close, every trade with its
/// planned levels), and the page holds the sections a trader reads.
@Suite struct ReportPageTests {
    static func page() throws -> (html: String, output: BacktestOutput, candles: [Candle]) {
        let candles = BundledData.linkCandles
        let link = try #require(BundledInstruments.instrument("LINKUSDT"))
        let output = EMACrossBacktest.run(candles: candles, instrument: link, interval: .seconds(60), settings: .reference)
        let html = BacktestReport.html(title: "ema-cross <LINK>", summary: BacktestSummary(output: output, initialBalance: Money(units: 10_000)),
                                       output: output, prices: [ReportPriceSeries(symbol: "LINKUSDT", candles: candles)])
        return (html, output, candles)
    }

    static func embedded(_ html: String, id: String) throws -> [String: Any] {
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"\(id)\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let object = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        return try #require(object as? [String: Any])
    }

    @Test func theEmbeddedPricesDecodeToEveryBarOfTheRun() throws {
        let (html, _, candles) = try Self.page()
        let data = try Self.embedded(html, id: "report-data")
        let series = try #require((data["symbols"] as? [[String: Any]])?.first)
        #expect(series["name"] as? String == "LINKUSDT")
        let quantum = try #require(series["q"] as? Double)
        let deltas = try #require(series["c"] as? [Int64]), highs = try #require(series["h"] as? [Int64]), lows = try #require(series["l"] as? [Int64])
        #expect(deltas.count == candles.count && highs.count == candles.count && lows.count == candles.count)
        let quantumRaw = Int64((quantum * Double(FixedPoint.scale)).rounded())
        #expect(quantumRaw > 1)  // LINK prices share a tick: small integers, not raw 10^-8 units
        var level: Int64 = 0
        for (index, candle) in candles.enumerated() {
            level += deltas[index]
            #expect(level * quantumRaw == candle.close.raw, "close of bar \(index)")
            #expect((level + highs[index]) * quantumRaw == candle.high.raw && (level - lows[index]) * quantumRaw == candle.low.raw)
            if level * quantumRaw != candle.close.raw { break }
        }
        // Open times from the runs of even spacing.
        let runs = try #require(series["runs"] as? [[Int64]])
        for (number, run) in runs.enumerated() {
            let end = number + 1 < runs.count ? Int(runs[number + 1][0]) : candles.count
            for index in Int(run[0])..<end {
                #expect(candles[index].openTime.milliseconds == run[1] + Int64(index - Int(run[0])) * run[2])
            }
        }
    }

    @Test func everyTradeIsEmbeddedWithItsReasonAndPlannedLevels() throws {
        let (html, output, _) = try Self.page()
        #expect(output.trades.count > 100)
        let trades = try #require(try Self.embedded(html, id: "report-data")["trades"] as? [String: Any])
        let reasons = try #require(try Self.embedded(html, id: "report-data")["reasons"] as? [String])
        let entries = try #require(trades["et"] as? [Int64]), exits = try #require(trades["xt"] as? [Int64])
        let reasonIndex = try #require(trades["r"] as? [Int]), stops = try #require(trades["stop"] as? [Any])
        let targets = try #require(trades["tg"] as? [[Double]]), nets = try #require(trades["net"] as? [Double])
        #expect(entries.count == output.trades.count)
        for (index, trade) in output.trades.enumerated() {
            #expect(entries[index] == trade.entryTime.milliseconds && exits[index] == trade.exitTime.milliseconds)
            #expect(reasons[reasonIndex[index]] == trade.exitReason.rawValue)
            #expect(abs(nets[index] - trade.netPnL.doubleValue) < 1e-6)
            // Reference bracket: stop 1.2% and target 1.86% from the entry, on the adverse / favourable side.
            let stop = try #require(stops[index] as? Double)
            let target = try #require(targets[index].first)
            let entry = trade.entryPrice.doubleValue
            if trade.side == .long { #expect(stop < entry && target > entry) } else { #expect(stop > entry && target < entry) }
            #expect(abs(abs(target - entry) / abs(stop - entry) - 1.55) < 0.02, "target 1.86% / stop 1.2%, trade \(index)")
        }
        let colours = try Self.embedded(html, id: "report-colours")
        #expect(Set(colours.keys) == Set(reasons))
    }

    @Test func thePageHasEverySectionAndEscapesTheTitle() throws {
        let (html, output, _) = try Self.page()
        #expect(html.contains("<title>ema-cross &lt;LINK&gt;</title>"))
        for id in ["price-chart", "equity-chart", "drawdown-chart", "pnl-histogram", "holding-histogram", "monthly-returns", "exit-reasons",
                   "trades", "zoom-day", "day"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        #expect(!html.contains("http://") && !html.contains("https://"), "no network: nothing loaded from elsewhere")
        // Monthly returns: February 2026, the month of the data.
        #expect(html.contains("<tr><th>2026</th><td></td><td style=\"background:"))
        // Exits by reason: counts add up to the trades.
        let stops = output.trades.filter { $0.exitReason == .stopLoss }.count
        #expect(html.contains("stop_loss</th><td>\(stops)</td>"))
    }
}
