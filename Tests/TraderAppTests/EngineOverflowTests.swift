import Backtest
import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Candles the engine once trapped on (SIGILL) when they reached it — prices the reader now
/// refuses by default, but a configuration may allow (`max_bar_ratio`) and a venue may send.
/// Sizing at such prices is a rejection with a reason; a fill that cannot be booked stops the run
/// with a typed error naming the bar; nothing is written.
@Suite(.ownThread) struct EngineOverflowTests {
    static let root = BacktestConfigTests.root
    static let symbol: Symbol = "FILUSDT"

    static func run(_ example: String, _ rows: [(String, String, String, String)], longAt bar: Int) throws -> BacktestRunResult {
        let config = try AppConfig.load(path: root + "/examples/\(example)")
        let directory = Integration.temporaryDirectory("overflow")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = Integration.data(symbol, Integration.candles(rows))
        return try BacktestRunner.run(config: config, data: data, strategies: [ScriptedSignals(symbol: symbol, [bar: (.long, nil)])],
                                      dataFiles: [], outputDirectory: directory + "/run", store: nil)
    }

    /// Bars at 1.5; a long from bar 2's close (filled at bar 3's open); bar 5 gaps to
    /// 10,000,000,000: the close at the gap would book a PnL of ~6.7 × 10¹² USDT.
    static let gapToTenBillion = Array(repeating: Integration.flat("1.5"), count: 5) + [Integration.flat("10000000000")]

    @Test(arguments: ["ema-cross.toml", "ema-cross-exit-engine.toml"])
    func aCloseAtTenBillionStopsTheRunNamingTheBar(example: String) throws {
        do {
            _ = try Self.run(example, Self.gapToTenBillion, longAt: 2)
            Issue.record("expected the run to stop")
        } catch let fault as BacktestFault {
            #expect(fault.symbol == Self.symbol)
            // Bar 5 opens 5 minutes after the start.
            #expect(fault.barOpenTime == Timestamp(milliseconds: Integration.start.milliseconds + 5 * 60_000))
            #expect(fault.description.hasPrefix("backtest stopped at the FILUSDT bar opening 2026-03-02T00:05:00.000Z"))
            #expect(!fault.description.contains("\n"))
        }
    }

    @Test func sizingAtOneHundredMillionthIsARejectionNotATrap() throws {
        // Bars at 1–2, then the price collapses to 0.00000001; a long is signalled there.
        let rows = [Integration.flat("1.5"), Integration.flat("2"), Integration.flat("1")]
            + Array(repeating: Integration.flat("0.00000001"), count: 3)
        let result = try Self.run("ema-cross.toml", rows, longAt: 3)
        let reasons = result.output.decisions.flatMap { decision -> [String] in
            if case .rejected(_, let reasons) = decision.decision { reasons.map(\.description) } else { [] }
        }
        #expect(reasons == ["arithmeticOverflow(quantity = notional 1000 / price 0.00000001)"])
        #expect(result.output.trades.isEmpty)
    }

    @Test func sizingAtTheLargestPriceIsARejectionNotATrap() throws {
        let rows = [Integration.flat("1.5"), Integration.flat("2")]
            + Array(repeating: Integration.flat("92233720368.54775807"), count: 4)
        let result = try Self.run("ema-cross.toml", rows, longAt: 2)
        let reasons = result.output.decisions.flatMap { decision -> [String] in
            if case .rejected(_, let reasons) = decision.decision { reasons.map(\.description) } else { [] }
        }
        #expect(reasons.count == 1)
        #expect(reasons.first?.hasPrefix("arithmeticOverflow(") == true)
    }
}
