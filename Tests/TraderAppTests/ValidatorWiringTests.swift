import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Backtest

/// The pre-trade validator wired by `[strategy] entry_gate = "validator"`: decisions with typed
/// reasons reach the SQLite store and the report's rejection table; the daily-loss limit halts
/// the risk engine and refuses new entries.
@Suite(.ownThread) struct ValidatorWiringTests {
    static let atom: Symbol = "ATOMUSDT"

    /// Validator + exit engine; `validation` and `risk` are the sections' bodies.
    static func config(validation: String, risk: String = "", extra: String = "") throws -> AppConfig {
        try Integration.config("""
            [execution]
            policy = "exit-engine"

            [strategy]
            name = "ema-cross"
            entry_gate = "validator"
            notional = 1000
            leverage = 1
            stop_loss = 0.012
            take_profit = 0.0186
            round_to_exchange_grid = true

            [validation]
            regime_check = false
            correlation_check = false
            exposure_check = false
            funding_check = false
            cooldown_check = false
            \(validation)

            [sizing]
            risk_per_trade = 0.005
            margin_budget_share = 0.2
            maximum_leverage = 10

            [risk]
            \(risk)

            [exit]
            stop_policy = "fixed-price-move"
            stop_move = 0.012

            \(Integration.backtestSections)

            \(extra)
            """)
    }

    /// 230 hourly bars of a steady uptrend from 10.000 (+0.010 per bar).
    static func uptrend() -> [Candle] {
        let rows = (0..<230).map { index -> (String, String, String, String) in
            let open = 10_000 + 10 * index   // thousandths
            func text(_ thousandths: Int) -> String { "\(thousandths / 1000).\(String(format: "%03d", thousandths % 1000))" }
            return (text(open), text(open + 15), text(open - 5), text(open + 10))
        }
        return Integration.candles(rows, interval: .seconds(3600))
    }

    @Test func aLowConfidenceCounterTrendShortIsRejectedStoredWithItsReasonsAndTabled() throws {
        let config = try Self.config(validation: "confidence_check = true\nmin_confidence = 0.80\ntrend_check = true")
        let directory = Integration.temporaryDirectory("validator")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite", durability: .relaxed)
        let candles = Self.uptrend()
        // Bar 215: SHORT at 72% confidence against the 1h uptrend (the old bot's trade).
        let strategy = ScriptedSignals(symbol: Self.atom, [215: (.short, 0.72)])
        let result = try BacktestRunner.run(config: config, data: Integration.data(Self.atom, candles, interval: .seconds(3600)),
                                            strategies: [strategy], dataFiles: [], outputDirectory: directory + "/run", store: store)
        #expect(result.output.trades.isEmpty)
        // In the store: one decision, rejected, with both typed reasons and their measured values.
        let run = try #require(try store.runs().first?.id)
        let decisions = try store.decisions(runID: run)
        let decision = try #require(decisions.first)
        #expect(decisions.count == 1 && !decision.approved && decision.signal.side == .short)
        #expect(decision.reasons.contains("confidenceBelowThreshold(0.72, required: 0.80)"))
        #expect(decision.reasons.contains { $0.hasPrefix("againstTrend(SHORT, trend: up") })
        // In the report: the rejection table counts it under both reasons.
        #expect(result.rejectionTable.contains("signals evaluated 1, taken 0, rejected 1"))
        for kind in ["confidence_below_threshold", "against_trend"] {
            #expect(result.rejectionTable.contains(kind))
        }
        let html = try String(contentsOfFile: directory + "/run/report.html", encoding: .utf8)
        #expect(html.contains("Validation: signals taken and rejected") && html.contains("against_trend"))
        #expect(try String(contentsOfFile: directory + "/run/rejections.txt", encoding: .utf8).contains("confidence_below_threshold"))
    }

    @Test func lossesBeyondTheDailyLimitHaltTheRiskEngineAndRefuseNewEntries() throws {
        let config = try Self.config(validation: "confidence_check = false\ntrend_check = false",
                                     risk: "daily_loss_limit = 0.004\nreducing_threshold = 0\nflatten_on_halt = false")
        let directory = Integration.temporaryDirectory("halt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite", durability: .relaxed)
        // Bar 0 SHORT → entry at 2.224 (bar 1 open); bar 1 runs to 2.262 → stopped at 2.250. Bar 3 SHORT again.
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262"),
                                           Integration.flat("2.262"), Integration.flat("2.262"), Integration.flat("2.262")])
        let strategy = ScriptedSignals(symbol: Self.atom, [0: (.short, nil), 3: (.short, nil)])
        let result = try BacktestRunner.run(config: config, data: Integration.data(Self.atom, candles), strategies: [strategy], dataFiles: [],
                                            outputDirectory: directory + "/run", store: store)
        let trade = try #require(result.output.trades.first)
        #expect(result.output.trades.count == 1 && trade.exitReason == .stopLoss)
        // Risk 0.5% of 10,000 = 50 USDT at a 1.169% stop, plus fees: a loss over 0.4% of equity.
        #expect(trade.netPnL < Money(units: -40))
        let run = try #require(try store.runs().first?.id)
        let decisions = try store.decisions(runID: run)
        #expect(decisions.map(\.approved) == [true, false])
        #expect(decisions.last?.reasons.contains("riskHalted(daily_loss_limit)") == true)
        let halts = try store.riskEvents(runID: run).filter { $0.state == "halted" }
        #expect(halts.count == 1 && halts.first?.cause == "daily_loss_limit")
        #expect(try store.alerts(runID: run).contains { $0.alert.kind == "risk.halted" && $0.alert.severity == .critical })
    }
}
