import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel

/// `qt stats` on a store: the selection, the errors a user can meet, and the three formats.
@Suite struct StatsReportTests {
    static let day = Int64(86_400_000)
    static let d0 = Int64(1_767_225_600_000)   // 2026-01-01T00:00Z

    static func trade(_ run: Int64, _ symbol: Symbol, _ side: Side, day: Int64, net: String) -> TradeRecord {
        TradeRecord(runID: run, symbol: symbol, side: side, quantity: 1, entryTime: Timestamp(milliseconds: d0 + day * Self.day),
                    entryPrice: 100, exitTime: Timestamp(milliseconds: d0 + day * Self.day + 3_600_000), exitPrice: 101,
                    exitReason: ExitReason.takeProfit.rawValue, fees: Money("0.1")!, funding: .zero, netPnL: Money(net)!, leverage: 2)
    }

    /// A backtest run (2 trades, equity from 1000) and a paper run (3 trades) in one store.
    static func store(_ path: String) throws -> SQLiteTradeStore {
        let store = try SQLiteTradeStore(path: path)
        let backtest = try store.beginRun(RunRecord(kind: .backtest, startedAt: Timestamp(milliseconds: d0), configHash: "a", detail: "ema-cross on BTCUSDT: x.csv"))
        try store.recordEquity(EquitySnapshotRecord(runID: backtest, time: Timestamp(milliseconds: d0), equity: 1000, walletBalance: 1000, unrealizedPnL: .zero, drawdown: .zero))
        try store.recordTrade(trade(backtest, "BTCUSDT", .long, day: 0, net: "10"))
        try store.recordTrade(trade(backtest, "BTCUSDT", .short, day: 1, net: "-5"))
        let paper = try store.beginRun(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: d0), configHash: "b", detail: "ml-ensemble/validator/exit-engine paper"))
        try store.recordTrade(trade(paper, "ATOMUSDT", .short, day: 2, net: "-3"))
        try store.recordTrade(trade(paper, "ATOMUSDT", .short, day: 3, net: "-2"))
        try store.recordTrade(trade(paper, "ETHUSDT", .long, day: 4, net: "4"))
        return store
    }

    @Test func filtersSelectTradesAcrossRuns() throws {
        let directory = Integration.temporaryDirectory("stats")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(directory + "/qt.sqlite")
        let paper = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(kinds: [.paper]), capital: nil)
        #expect(paper.stats.count == 3 && paper.runIDs == [2])
        #expect(paper.stats.netPnL == Money(units: -1))      // −3 − 2 + 4
        #expect(paper.stats.startingEquity == nil)           // the paper run recorded no equity
        let shorts = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(symbols: ["ATOMUSDT"], side: .short), capital: nil)
        #expect(shorts.stats.count == 2 && shorts.stats.wins == 0)
        let strategy = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(strategies: ["ema-cross"]), capital: nil)
        #expect(strategy.stats.count == 2)
        #expect(strategy.stats.startingEquity == Money(units: 1000))   // the backtest's first equity sample
        #expect(strategy.equitySource == "first equity sample of run 1")
        let all = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(), capital: Money(units: 500))
        #expect(all.stats.count == 5 && all.equitySource == "--capital")
        #expect(all.lines.contains("sample          30 independent closed trades needed to judge, 5 so far"))
    }

    @Test func badSelectionsAreOneLineErrors() throws {
        let directory = Integration.temporaryDirectory("stats-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(directory + "/qt.sqlite")
        #expect(throws: AnalyticsError("qt.sqlite has no run 9 (runs 1…2; `qt status --db` lists them)")) {
            try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(runIDs: [9]), capital: nil)
        }
        #expect(throws: AnalyticsError("no closed trades match mode live (5 closed trades in qt.sqlite)")) {
            try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(kinds: [.live]), capital: nil)
        }
        let empty = directory + "/empty.sqlite"
        #expect(throws: AnalyticsError("\(empty) holds no runs yet: run a backtest, paper or live session first")) {
            _ = try SQLiteTradeStore(path: empty)
            return try StatsReport.make(storePath: empty, filter: TradeFilter(), capital: nil)
        }
        let runOnly = try SQLiteTradeStore(path: directory + "/runonly.sqlite")
        _ = try runOnly.beginRun(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: 0), configHash: "c", detail: "ema-cross"))
        #expect(throws: AnalyticsError("r.sqlite holds no closed trades yet (1 run)")) {
            try StatsReport.make(store: runOnly, storeName: "r.sqlite", filter: TradeFilter(), capital: nil)
        }
        let missing = directory + "/missing.sqlite"
        let error = #expect(throws: AnalyticsError.self) { try StatsReport.make(storePath: missing, filter: TradeFilter(), capital: nil) }
        #expect(error?.message.contains("no such store file") == true)
        #expect(!FileManager.default.fileExists(atPath: missing))
        let damaged = directory + "/damaged.sqlite"
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: damaged))
        let damage = #expect(throws: AnalyticsError.self) { try StatsReport.make(storePath: damaged, filter: TradeFilter(), capital: nil) }
        #expect(damage?.message.contains(damaged) == true && damage?.message.contains("\n") == false)
    }

    @Test func jsonAndHTMLCarryTheSameFigures() throws {
        let directory = Integration.temporaryDirectory("stats-formats")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(directory + "/qt.sqlite")
        let report = try StatsReport.make(store: store, storeName: "qt.sqlite", filter: TradeFilter(), capital: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["trades"] as? Int == 5)
        #expect(object["net_pnl"] as? String == "4")        // 10 − 5 − 3 − 2 + 4
        #expect(object["win_rate"] as? Double == 0.4)
        #expect((object["verdict"] as? [String: Any])?["enough"] as? Bool == false)
        #expect(report.html.contains("<th>expectancy</th><td>0.80 USDT per trade"))
        #expect(!report.html.contains("<script"))
    }
}
