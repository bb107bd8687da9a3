import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// `qt backtest --signals`: the old bot's two 72% SHORTs on ATOMUSDT (2026-01-03, around 2.224)
/// replayed through the validator and the exit engine on the bundled 1h file.
@Suite(.ownThread) struct SignalReplayTests {
    static let root = BacktestConfigTests.root
    static let file = root + "/data/binance-usdm/ATOMUSDT-1h-2020-02-07_2026-06-07.csv.gz"
    static let signals = """
        time,symbol,side,confidence,leverage
        # the old bot's two shorts
        2026-01-03T17:30Z,ATOMUSDT,SHORT,0.72,2
        2026-01-03T21:30Z,ATOMUSDT,SHORT,0.72,2x
        """

    static func config(confidenceCheck: Bool, marketChecks: Bool = true) throws -> AppConfig {
        var text = try String(contentsOfFile: root + "/examples/ema-cross-validated.toml", encoding: .utf8)
        text = text.replacingOccurrences(of: "confidence_check = false", with: "confidence_check = \(confidenceCheck)")
        if !marketChecks {
            text = text.replacingOccurrences(of: "trend_check = true", with: "trend_check = false")
                .replacingOccurrences(of: "regime_check = true", with: "regime_check = false")
        }
        return try Integration.config(text)
    }

    static func replay(confidenceCheck: Bool, marketChecks: Bool = true) throws -> SignalReplay.Result {
        let directory = Integration.temporaryDirectory("signals")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try SignalReplay.run(config: try config(confidenceCheck: confidenceCheck, marketChecks: marketChecks), dataFiles: [file],
                                    signals: try ExternalSignal.parse(signals, file: "old-bot.csv"), outputDirectory: directory, store: nil)
    }

    @Test func atTheValidatedConfidenceBothShortsAreRejectedWithTheirReasons() throws {
        let result = try Self.replay(confidenceCheck: true)
        #expect(result.outcomes.count == 2)
        for outcome in result.outcomes {
            guard case .rejected(let signal, let reasons) = try #require(outcome.decision) else {
                Issue.record("approved: \(String(describing: outcome.decision))")
                continue
            }
            #expect(signal.confidence == 0.72)
            #expect(reasons.map(\.description).contains { $0.contains("confidence") && $0.contains("0.72") })
            // and the market: a SHORT against the hourly uptrend, in a high-volatility regime
            #expect(reasons.contains { $0.description.hasPrefix("againstTrend(SHORT, trend: up") })
            #expect(reasons.contains { $0.description.hasPrefix("regimeBlocked(high_volatility") })
        }
        #expect(result.backtest.output.trades.isEmpty)
        let lines = SignalReplay.lines(result.outcomes)
        #expect(lines.first == "signal line 3: 2026-01-03T17:30:00.000Z ATOMUSDT SHORT confidence 0.72 2x")
        #expect(lines.contains { $0.hasPrefix("  REJECTED at 2026-01-03T18:00:00.000Z by the entry gate:") })
    }

    /// With the trend and regime checks switched off the validator lets the first short through
    /// (the second comes within the 4 h cooldown after it), and the exit engine takes it to its exit.
    @Test func aShortLetThroughIsFollowedToItsExit() throws {
        let result = try Self.replay(confidenceCheck: false, marketChecks: false)
        let lines = SignalReplay.lines(result.outcomes)
        let first = try #require(result.outcomes.first)
        #expect(first.decision?.isApproved == true)
        let trade = try #require(first.trade)
        #expect(trade.side == .short && trade.entryTime >= first.decidedAt!)
        #expect(lines.contains { $0.hasPrefix("  exit engine: entered ") })
        // the second short came while the first was still open (it stopped out at 22:20): dropped, and said so
        #expect(result.outcomes[1].decision == nil)
        #expect(lines.contains("  not judged: a SHORT position in ATOMUSDT (entered 2026-01-03T18:00:00.000Z) was open; "
                               + "a signal in the same direction is dropped while in a position"))
    }

    static func message(_ body: () throws -> [ExternalSignal]) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test func aBadSignalsFileNamesTheLineAndField() {
        #expect(Self.message { try ExternalSignal.parse("time,symbol,side,confidence\n2026-01-03T17:30Z,ATOMUSDT,SELL,0.7", file: "s.csv") } == "s.csv:2: side 'SELL' is not LONG or SHORT")
        #expect(Self.message { try ExternalSignal.parse("time,symbol,side,confidence\n2026-01-03T17:30Z,ATOMUSDT,SHORT,72", file: "s.csv") } == "s.csv:2: confidence '72' is not a number from 0 to 1")
        #expect(Self.message { try ExternalSignal.parse("when,what\n", file: "s.csv") } == "s.csv:1: the header must be time,symbol,side,confidence[,leverage]")
        #expect(Self.message { try ExternalSignal.parse("time,symbol,side,confidence\n", file: "s.csv") } == "s.csv: no signals after the header")
        #expect(Self.message { try ExternalSignal.parse("time,symbol,side,confidence,leverage\n2026-01-03T17:30Z,ATOMUSDT,SHORT,,200", file: "s.csv") } == "s.csv:2: leverage '200' is not a leverage from 1 to 125")
    }
}
