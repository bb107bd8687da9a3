import Backtest
import Foundation
import Testing
import TradingEngine
import TradingModel

/// Same inputs and settings → byte-identical run files.
@Suite struct DeterminismTests {
    @Test func twoRunsWriteIdenticalTradesAndEquityFiles() throws {
        let candles = BundledData.linkCandles
        let link = try #require(BundledInstruments.instrument("LINKUSDT"))
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qt-determinism-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        var contents: [[Data]] = []
        for run in 1...2 {
            let output = EMACrossBacktest.run(candles: candles, instrument: link, interval: .seconds(60), settings: .reference)
            let directory = base + "/run\(run)"
            try BacktestReport.write(to: directory, title: "ema-cross", output: output,
                                     summary: BacktestSummary(output: output, initialBalance: Money(units: 10_000)),
                                     prices: [ReportPriceSeries(symbol: "LINKUSDT", candles: candles)])
            contents.append(try ["trades.csv", "equity.csv", "report.html"].map {
                try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))
            })
        }
        #expect(contents[0][0].count > 100_000)
        #expect(contents[0][1].count > 10_000)
        #expect(contents[0] == contents[1])
    }
}
