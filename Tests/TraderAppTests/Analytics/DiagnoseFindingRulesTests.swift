import Backtest
import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The findings of `qt diagnose` that need a book, a trend or a history: each names its rule and
/// the data behind it, and stays quiet when the facts do not support it.
@Suite struct DiagnoseFindingRulesTests {
    static let btc: Symbol = "BTCUSDT"
    static let eth: Symbol = "ETHUSDT"
    static let sol: Symbol = "SOLUSDT"

    static func open(_ symbol: Symbol, _ side: Side) -> Diagnosis.OpenPosition {
        let saved = StoreStatus.OpenPosition(runID: 1, positionKey: "\(symbol)", symbol: symbol, executor: "exit-engine", side: side,
                                             entryPrice: Price("100")!, remainingQuantity: Quantity("1")!, stopPrice: Price("95")!,
                                             openTargets: [], restingBackstop: Price("94")!, lastPriceEventAt: nil,
                                             updatedAt: Timestamp(milliseconds: 0), problem: nil)
        return Diagnosis.OpenPosition(saved: saved, leverage: 2, position: nil, price: nil, priceSource: nil, figures: nil,
                                      stopBreached: false, firstCrossing: nil)
    }

    /// Hourly candles whose closes are `closes` (open = high = low = close).
    static func hourly(_ closes: [Double], start: Int64 = 1_767_225_600_000) -> [Candle] {
        closes.enumerated().map { index, close in
            let price = Price(String(format: "%.4f", close))!
            return Candle(openTime: Timestamp(milliseconds: start + Int64(index) * 3_600_000), open: price, high: price, low: price,
                          close: price, volume: 1)
        }
    }

    @Test func twoPositionsInOneDirectionAreACorrelatedBookWithTheCorrelationOfTheirBars() {
        var options = DiagnoseOptions()
        // ETH's closes are 20 × BTC's: identical bar returns, correlation exactly 1
        let path: [Double] = [100, 101, 99.5, 102, 103, 101, 104]
        options.candles = [Self.btc: Self.hourly(path), Self.eth: Self.hourly(path.map { $0 * 20 })]
        let found = Diagnosis.correlatedBook([Self.open(Self.btc, .short), Self.open(Self.eth, .short), Self.open(Self.sol, .long)], options: options)
        #expect(found.count == 1)
        let finding = found[0]
        #expect(finding.rule == "correlated-book" && finding.severity == .warning)
        #expect(finding.title == "2 SHORT positions open at once: one market move hits them all")
        #expect(finding.evidence == ["2 open SHORT positions: BTCUSDT, ETHUSDT",
                                     "correlation of BTCUSDT and ETHUSDT bar returns over the last 6 common bars: 1.00"])
    }

    @Test func oppositeDirectionsOrOnePositionAreNoCorrelatedBook() {
        let options = DiagnoseOptions()
        #expect(Diagnosis.correlatedBook([Self.open(Self.btc, .short), Self.open(Self.eth, .long)], options: options).isEmpty)
        #expect(Diagnosis.correlatedBook([Self.open(Self.btc, .long)], options: options).isEmpty)
        // without candles the finding stands on the book alone
        let bare = Diagnosis.correlatedBook([Self.open(Self.btc, .long), Self.open(Self.eth, .long)], options: options)
        #expect(bare.map(\.evidence) == [["2 open LONG positions: BTCUSDT, ETHUSDT"]])
    }

    static func approved(_ side: Side, at time: Timestamp, confidence: Double = 0.81) -> DecisionRecord {
        DecisionRecord(runID: 7, signal: Signal(symbol: btc, side: side, confidence: confidence, time: time, source: "test"),
                       approved: true, reasons: [], quantity: Quantity("0.01")!, leverage: 2, time: time)
    }

    @Test func aShortApprovedInAnUptrendIsAnEntryAgainstTheTrendByTheValidatorsRule() throws {
        // 260 hourly closes rising 0.1% an hour: EMA(50) above EMA(200) and rising
        let closes = (0..<260).map { 100 * pow(1.001, Double($0)) }
        let candles = Self.hourly(closes)
        var options = DiagnoseOptions()
        options.candles = [Self.btc: candles]
        options.candleIntervals = [Self.btc: .seconds(3600)]
        let signalTime = candles.last!.openTime.advanced(by: .seconds(3600))
        let found = Diagnosis.againstTrend([Self.approved(.short, at: signalTime), Self.approved(.long, at: signalTime)], options: options)
        #expect(found.count == 1)   // the LONG goes with the trend
        let finding = try #require(found.first)
        #expect(finding.rule == "entry-against-trend" && finding.severity == .warning)
        #expect(finding.title == "BTCUSDT SHORT entry at \(signalTime) against the uptrend")
        // the same numbers the validator's rule computes on those closes
        guard case .success(let trend) = TrendAssessment.measure(hourlyCloses: closes, symbol: Self.btc, settings: ValidationSettings.Trend()) else {
            Issue.record("the trend cannot be measured on 260 closes")
            return
        }
        #expect(trend.direction == .up && trend.emaFast > trend.emaSlow)
        #expect(finding.evidence[0] == "EMA(50) \(DisplayNumber.fixed(trend.emaFast, 4)) > EMA(200) \(DisplayNumber.fixed(trend.emaSlow, 4)), "
                + "slope of EMA(50) over 5 bars \(DisplayNumber.fixed(trend.slope * 100, 3))% (260 hourly closes before the signal)")
        #expect(finding.evidence[1] == "approved in run #7 at confidence 0.81")
        // a signal before enough history is not judged (the rule needs 205 closes)
        let early = candles[150].openTime
        #expect(Diagnosis.againstTrend([Self.approved(.short, at: early)], options: options).isEmpty)
        // the rule sees only closes completed before the signal: a short at the top of a fall is not against the trend
        let falling = Self.hourly((0..<260).map { 100 * pow(0.999, Double($0)) })
        options.candles = [Self.btc: falling]
        #expect(Diagnosis.againstTrend([Self.approved(.short, at: signalTime)], options: options).isEmpty)
        #expect(Diagnosis.againstTrend([Self.approved(.long, at: signalTime)], options: options).map(\.title)
                == ["BTCUSDT LONG entry at \(signalTime) against the downtrend"])
    }

    /// A backtest of `strategy` with `wins` wins and `losses` losses, then a paper run whose
    /// trades are `paper` (true = win) in exit order.
    static func history(backtestWins wins: Int, losses: Int, paper: [Bool], strategy: String = "ml-ensemble") throws -> (InMemoryTradeStore, [RunRecord]) {
        let store = InMemoryTradeStore()
        let backtest = try store.beginRun(RunRecord(kind: .backtest, startedAt: Timestamp(milliseconds: 0), configHash: "b", detail: "\(strategy)/bt"))
        let paperRun = try store.beginRun(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: 10_000_000), configHash: "p", detail: "\(strategy)/paper"))
        func trade(_ run: Int64, _ index: Int, win: Bool) -> TradeRecord {
            let base = Int64(index) * 3_600_000 + (run == backtest ? 0 : 10_000_000)
            return TradeRecord(runID: run, symbol: btc, side: .long, quantity: Quantity("1")!, entryTime: Timestamp(milliseconds: base),
                               entryPrice: Price("100")!, exitTime: Timestamp(milliseconds: base + 60_000), exitPrice: Price(win ? "102" : "99")!,
                               exitReason: win ? "take_profit" : "stop_loss", fees: .zero, funding: .zero,
                               netPnL: Money(win ? "2" : "-1")!, leverage: 2)
        }
        for index in 0..<(wins + losses) { try store.recordTrade(trade(backtest, index, win: index < wins)) }
        for (index, win) in paper.enumerated() { try store.recordTrade(trade(paperRun, index, win: win)) }
        return (store, try store.runs())
    }

    @Test func sixLossesInARowAgainstABacktestLossRateOf40PercentIsAnUnlikelyStreak() throws {
        // backtest: 18 wins, 12 losses → loss rate 12 / 30 = 0.4
        let (store, runs) = try Self.history(backtestWins: 18, losses: 12, paper: Array(repeating: false, count: 6))
        let paper = runs.filter { $0.kind == .paper }
        let finding = try #require(try Diagnosis.losingStreak(store: store, focus: paper, allRuns: runs))
        // P(≥ 6 losses in a row in 6 trades) = 0.4⁶ = 0.004096
        #expect(finding.rule == "losing-streak" && finding.severity == .warning)
        #expect(finding.title == "6 losses in a row: less than 0.4% likely under the backtests' loss rate")
        #expect(finding.evidence[1] == "ml-ensemble backtests in the store: 30 trades, loss rate 40.0%")
        #expect(finding.evidence[2] == "P(a run of ≥ 6 losses in 6 independent trades) = 0.0041")
        #expect(finding.evidence[0].hasPrefix("last 6 of 6 closed ml-ensemble paper/live trades lost"))
        #expect(abs(LosingStreak.probability(ofAtLeast: 6, in: 6, lossRate: 0.4) - 0.004096) < 1e-12)
    }

    @Test func aStreakTheBacktestMakesLikelyOrTooFewBacktestTradesIsNoFinding() throws {
        // 3 losses: 0.4³ = 0.064 ≥ 5%, not unusual
        let (likely, likelyRuns) = try Self.history(backtestWins: 18, losses: 12, paper: [true, false, false, false])
        #expect(try Diagnosis.losingStreak(store: likely, focus: likelyRuns.filter { $0.kind == .paper }, allRuns: likelyRuns) == nil)
        // the streak must be the current one: six old losses followed by a win say nothing now
        let (ended, endedRuns) = try Self.history(backtestWins: 18, losses: 12, paper: Array(repeating: false, count: 6) + [true])
        #expect(try Diagnosis.losingStreak(store: ended, focus: endedRuns.filter { $0.kind == .paper }, allRuns: endedRuns) == nil)
        // 29 backtest trades are too few to define the distribution
        let (few, fewRuns) = try Self.history(backtestWins: 17, losses: 12, paper: Array(repeating: false, count: 6))
        #expect(try Diagnosis.losingStreak(store: few, focus: fewRuns.filter { $0.kind == .paper }, allRuns: fewRuns) == nil)
        // another strategy's backtests are not this strategy's distribution
        let (other, otherRuns) = try Self.history(backtestWins: 18, losses: 12, paper: Array(repeating: false, count: 6), strategy: "ema-cross")
        var renamed = otherRuns
        for index in renamed.indices where renamed[index].kind == .paper { renamed[index].detail = "ml-ensemble/paper" }
        #expect(try Diagnosis.losingStreak(store: other, focus: renamed.filter { $0.kind == .paper }, allRuns: renamed) == nil)
    }
}
