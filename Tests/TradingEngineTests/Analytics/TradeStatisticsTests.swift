import Testing
import TradingEngine
import TradingModel

/// Every statistic on a fixed list of five trades, with the arithmetic written out.
///
/// | # | trade | entry → exit (UTC) | gross | fees | funding | net | planned stop → risk | R | best → best exit | TP hit | exit |
/// |---|---|---|---|---|---|---|---|---|---|---|---|
/// | 1 | LONG 0.1 BTC 100 → 110 | d0 00:00 → 04:00 | +1.0 | 0.2 | 0 | +0.8 | 95 → 0.5 | +1.6 | 112 → 1.2 | 1, 2 | take_profit_2 |
/// | 2 | SHORT 1 ETH 50 → 52 | d0 02:00 → 06:00 | −2.0 | 0.1 | 0.05 | −2.15 | 52 → 2 | −1.075 | 49 → 1 | none | stop_loss |
/// | 3 | LONG 2 SOL 20 → 21 | d1 00:00 → 12:00 | +2.0 | 0.04 | −0.02 | +1.98 | 19 → 2 | +0.99 | 21.5 → 3 | 1 | trailing_stop |
/// | 4 | SHORT 0.1 BTC 110 → 111 | d2 00:00 → 01:00 | −0.1 | 0.2 | 0 | −0.3 | 111 → 0.1 | −3 | 110 → 0 | none | backstop |
/// | 5 | LONG 1 ETH 50 → 50 | d3 00:00 → 00:30 | 0 | 0.05 | 0 | −0.05 | unknown | — | unknown | unknown | manual |
///
/// Trades 1 and 2 overlap (2 enters at 02:00, before 1 exits at 04:00): 4 independent groups.
@Suite struct TradeStatisticsTests {
    static let day = Int64(86_400_000), hour = Int64(3_600_000)
    static let d0 = Int64(1_767_225_600_000)   // 2026-01-01T00:00Z

    static func trade(_ symbol: Symbol, _ side: Side, _ quantity: String, _ entry: String, _ exit: String, from: Int64, to: Int64,
                      fees: String, funding: String, net: String, reason: ExitReason) -> TradeRecord {
        TradeRecord(runID: 1, symbol: symbol, side: side, quantity: Quantity(quantity)!, entryTime: Timestamp(milliseconds: d0 + from),
                    entryPrice: Price(entry)!, exitTime: Timestamp(milliseconds: d0 + to), exitPrice: Price(exit)!, exitReason: reason.rawValue,
                    fees: Money(fees)!, funding: Money(funding)!, netPnL: Money(net)!, leverage: 2)
    }

    static var trades: [StatsTrade] {
        [
            StatsTrade(record: trade("BTCUSDT", .long, "0.1", "100", "110", from: 0, to: 4 * hour, fees: "0.2", funding: "0", net: "0.8",
                                     reason: .takeProfit2), runKind: .paper, strategy: "ema-cross", targetsHit: [1, 2], plannedStop: 95, bestPrice: 112),
            StatsTrade(record: trade("ETHUSDT", .short, "1", "50", "52", from: 2 * hour, to: 6 * hour, fees: "0.1", funding: "0.05", net: "-2.15",
                                     reason: .stopLoss), runKind: .paper, strategy: "ema-cross", targetsHit: [], plannedStop: 52, bestPrice: 49),
            StatsTrade(record: trade("SOLUSDT", .long, "2", "20", "21", from: day, to: day + 12 * hour, fees: "0.04", funding: "-0.02", net: "1.98",
                                     reason: .trailingStop), runKind: .paper, strategy: "ema-cross", targetsHit: [1], plannedStop: 19, bestPrice: Price("21.5")!),
            StatsTrade(record: trade("BTCUSDT", .short, "0.1", "110", "111", from: 2 * day, to: 2 * day + hour, fees: "0.2", funding: "0", net: "-0.3",
                                     reason: .backstop), runKind: .live, strategy: "ml-ensemble", targetsHit: [], plannedStop: 111, bestPrice: 110),
            StatsTrade(record: trade("ETHUSDT", .long, "1", "50", "50", from: 3 * day, to: 3 * day + hour / 2, fees: "0.05", funding: "0", net: "-0.05",
                                     reason: .manual), runKind: .live, strategy: "ml-ensemble"),
        ]
    }

    @Test func countsWinsLossesAndMoney() throws {
        let stats = try TradeStatistics.compute(Self.trades)
        #expect(stats.count == 5)
        #expect(stats.wins == 2)            // +0.8, +1.98
        #expect(stats.losses == 3)          // −2.15, −0.3, −0.05
        #expect(stats.winRate == 0.4)       // 2 / 5
        #expect(stats.grossProfit == Money("2.78")!)    // 0.8 + 1.98
        #expect(stats.grossLoss == Money("-2.5")!)      // −2.15 − 0.3 − 0.05
        #expect(stats.netPnL == Money("0.28")!)
        #expect(stats.fees == Money("0.59")!)           // 0.2 + 0.1 + 0.04 + 0.2 + 0.05
        #expect(stats.funding == Money("0.03")!)        // 0.05 − 0.02
        #expect(stats.averageWin == Money("1.39")!)     // 2.78 / 2
        #expect(stats.averageLoss == Money("-0.83333333")!)  // −2.5 / 3 = −0.833333333… → nearest 1e-8
        // payoff = 1.39 / 0.83333333 = 1.668000006672
        #expect(abs(stats.payoffRatio! - 1.668000006672) < 1e-9)
        #expect(abs(stats.profitFactor! - 1.112) < 1e-12)   // 2.78 / 2.5
        #expect(stats.expectancy == Money("0.056")!)        // 0.28 / 5
    }

    @Test func expectancyIntervalTreatsOverlappingTradesAsOneCluster() throws {
        let stats = try TradeStatistics.compute(Self.trades)
        #expect(stats.independentGroups == 4)
        // residuals from 0.056: +0.744, −2.206, +1.924, −0.356, −0.106; cluster sums −1.462 (trades 1+2), 1.924, −0.356, −0.106;
        // V = 4/3 × (2.137444 + 3.701776 + 0.126736 + 0.011236) / 5² = 0.31878357; se = 0.56460922; t(3) = 3.182
        let interval = try #require(stats.expectancyInterval)
        #expect(abs(interval.low - -1.7405865437) < 1e-8)
        #expect(abs(interval.high - 1.8525865437) < 1e-8)
    }

    @Test func winRateIntervalIsWilsonOnTheEffectiveCount() throws {
        let stats = try TradeStatistics.compute(Self.trades)
        // outcomes 1,0 | 1 | 0 | 0: cluster variance 4/3 × (0.2² + 0.6² + 0.4² + 0.4²) / 25 = 0.0384 < 0.4·0.6/5 = 0.048,
        // so the design effect is clamped to 1 and n = 5: Wilson(0.4, 5) = [0.11762077, 0.76927572]
        #expect(stats.winRateEffectiveCount == 5)
        #expect(abs(stats.winRateInterval.low - 0.1176207742) < 1e-9)
        #expect(abs(stats.winRateInterval.high - 0.7692757187) < 1e-9)
    }

    @Test func overlapShrinksTheEffectiveCountOfAProportion() throws {
        // two clusters of two identical outcomes: residuals ±0.5, cluster sums +1, −1;
        // V = 2/1 × 2 / 4² = 0.25; independent 0.25 / 4 = 0.0625; design effect 4 → n = 1
        let estimate = try #require(ClusteredEstimates.proportion([true, true, false, false], clusters: [0, 0, 1, 1]))
        #expect(estimate.rate == 0.5)
        #expect(estimate.effectiveCount == 1)
        // Wilson(0.5, 1): center 0.5, half 1.96 × √(0.25 + 0.96036) / 4.84146 = 0.44538
        #expect(abs(estimate.interval.low - 0.0546207555) < 1e-9)
        #expect(abs(estimate.interval.high - 0.9453792445) < 1e-9)
    }

    @Test func rMultiplesAreNetPnLOverThePlannedRisk() throws {
        let trades = Self.trades
        // risk = |entry − stop| × quantity: 5 × 0.1 = 0.5; 2 × 1 = 2; 1 × 2 = 2; 1 × 0.1 = 0.1
        #expect(trades[0].plannedRisk == 0.5)
        #expect(abs(trades[0].rMultiple! - 1.6) < 1e-12)      // 0.8 / 0.5
        #expect(abs(trades[1].rMultiple! - -1.075) < 1e-12)   // −2.15 / 2
        #expect(abs(trades[2].rMultiple! - 0.99) < 1e-12)     // 1.98 / 2
        #expect(abs(trades[3].rMultiple! - -3) < 1e-9)        // −0.3 / 0.1: slipped past the stop
        #expect(trades[4].rMultiple == nil)
        let stats = try TradeStatistics.compute(trades)
        #expect(stats.rTrades == 4)
        // (1.6 − 1.075 + 0.99 − 3) / 4 = −0.37125; clusters {1,2}, {3}, {4}; t(2) = 4.303
        #expect(abs(stats.expectancyR! - -0.37125) < 1e-9)
        #expect(abs(stats.expectancyRInterval!.low - -4.6139657993) < 1e-8)
    }

    @Test func targetAndStopHitRates() throws {
        let stats = try TradeStatistics.compute(Self.trades)
        #expect(stats.targetTrades == 4)                  // trade 5's exits are unknown
        #expect(stats.targetHitRates == [0.5, 0.25, 0])   // TP1: trades 1, 3; TP2: trade 1; TP3: none
        #expect(stats.stopHitRate == 0.4)                 // stop_loss (2) and backstop (4) of 5
        #expect(stats.exitReasons.map(\.count) == [1, 1, 1, 1, 1])
    }

    @Test func harvestEffectivenessIsRealisedOverTheBestExit() throws {
        // gross: +1.0, −2.0, +2.0, −0.1 = 0.9; best exits: 0.1 × 12 = 1.2, 1 × 1 = 1, 2 × 1.5 = 3, 0 (never in favour) = 5.2
        let stats = try TradeStatistics.compute(Self.trades)
        #expect(stats.harvestTrades == 4)
        #expect(abs(stats.harvestEffectiveness! - 0.9 / 5.2) < 1e-12)
    }

    @Test func timeInTradeDrawdownAndDailyRatios() throws {
        let stats = try TradeStatistics.compute(Self.trades, startingEquity: 100)
        // holds 4h, 4h, 12h, 1h, 0.5h: mean 21.5 / 5 = 4.3 h, median 4 h
        #expect(stats.meanTimeInTrade == .milliseconds(4 * Self.hour + 18 * 60_000))
        #expect(stats.medianTimeInTrade == .milliseconds(4 * Self.hour))
        // cumulative net 0.8, −1.35, 0.63, 0.33, 0.28: peak 0.8, trough −1.35 → 2.15; of peak equity 100.8: 2.1329365%
        #expect(stats.maxDrawdown == Money("2.15")!)
        #expect(abs(stats.maxDrawdownPct! - 2.132936507936508) < 1e-9)
        // days d0…d3, PnL −1.35, +1.98, −0.3, −0.05 on equity 100, 98.65, 100.63, 100.33:
        // returns −0.0135, 0.0200710, −0.0029812, −0.0004984; Sharpe = mean / sd × √365, Sortino = mean / downside × √365
        #expect(stats.days == 4)
        #expect(abs(stats.sharpe! - 1.05123016566922) < 1e-9)
        #expect(abs(stats.sortino! - 2.134589212199959) < 1e-9)
    }

    @Test func noStartingEquityMeansNoRatios() throws {
        let stats = try TradeStatistics.compute(Self.trades)
        #expect(stats.sharpe == nil && stats.sortino == nil && stats.maxDrawdownPct == nil)
        #expect(stats.maxDrawdown == Money("2.15")!)
    }

    @Test func sampleSizeVerdictCountsIndependentTrades() throws {
        let stats = try TradeStatistics.compute(Self.trades)
        #expect(!stats.verdict.enough)
        #expect(stats.verdict.text == "30 independent closed trades needed to judge, 4 so far (5 closed; overlapping trades count once)")
    }

    @Test func thirtySeparateWinnersAreEnoughAndPositive() throws {
        let trades = (0..<30).map { index in
            StatsTrade(record: Self.trade("BTCUSDT", .long, "1", "100", "101", from: Int64(index) * Self.day, to: Int64(index) * Self.day + Self.hour,
                                          fees: "0", funding: "0", net: index % 2 == 0 ? "1" : "2", reason: .takeProfit), runKind: .backtest, strategy: "x")
        }
        let stats = try TradeStatistics.compute(trades)
        #expect(stats.verdict.enough)
        #expect(stats.verdict.edge == .positive)
        #expect(stats.verdict.text == "30 independent closed trades (≥ 30) are enough to judge: expectancy positive at 95%")
        #expect(stats.profitFactor == nil)
    }

    @Test func emptySelectionAndAbsurdAmountsAreTypedErrors() {
        #expect(throws: TradeStatisticsError.noTrades) { try TradeStatistics.compute([]) }
        var huge = Self.trades[0]
        huge.record.netPnL = Money(raw: .max)
        #expect(throws: TradeStatisticsError.outOfRange("the gross profit")) {
            try TradeStatistics.compute([huge, huge])
        }
    }

    @Test func filterMatchesEachDimension() {
        let trades = Self.trades
        #expect(trades.filter(TradeFilter(kinds: [.live]).matches).count == 2)
        #expect(trades.filter(TradeFilter(symbols: ["BTCUSDT"], side: .short).matches).count == 1)
        #expect(trades.filter(TradeFilter(strategies: ["ema-cross"]).matches).count == 3)
        let dayOne = Timestamp(milliseconds: Self.d0 + Self.day)
        #expect(trades.filter(TradeFilter(from: dayOne, to: Timestamp(milliseconds: Self.d0 + 2 * Self.day)).matches).count == 1)
        #expect(TradeFilter(kinds: [.paper], symbols: ["ATOMUSDT"]).summary == "mode paper, symbol ATOMUSDT")
    }

    @Test func overlapGroupsJoinOnlyStrictOverlaps() {
        func at(_ hours: Int64) -> Timestamp { Timestamp(milliseconds: hours * Self.hour) }
        // [0,4) and [2,6) overlap; [6,8) starts exactly at the group's end: a new group; [7,9) overlaps it
        let groups = OverlapGroups.assign([(at(0), at(4)), (at(6), at(8)), (at(2), at(6)), (at(7), at(9))])
        #expect(groups == [0, 1, 0, 1])
    }

    @Test func strategyNameIsTheDetailsFirstWord() {
        #expect(RunRecord(kind: .backtest, startedAt: Timestamp(milliseconds: 0), configHash: "h", detail: "ema-cross on ATOMUSDT: a.csv").strategyName == "ema-cross")
        #expect(RunRecord(kind: .paper, startedAt: Timestamp(milliseconds: 0), configHash: "h", detail: "ml-ensemble/validator/exit-engine x").strategyName == "ml-ensemble")
    }
}
