import Backtest
import Testing
import TradingEngine
import TradingModel

/// Stories a trader recognises, through the full kernel + simulated exchange.
@Suite struct ScenarioTests {
    @Test func aBarTouchingStopAndTargetStopsOut() throws {
        // Long signal at bar 0's close; entry at bar 1's open 100: quantity 1000 / 100 = 10,
        // stop 100 × (1 − 0.012) = 98.8, target 100 × 1.0186 = 101.86. Bar 2 touches both (L 98, H 102).
        let candles = Scenario.candles([Scenario.flat("100"), Scenario.flat("100"), ("100", "102", "98", "100"), Scenario.flat("100")])
        let output = Scenario.run(candles, signals: [0: .long])
        let trade = try #require(output.trades.first)
        #expect(output.trades.count == 1)
        #expect(trade.exitReason == .stopLoss)
        #expect(trade.exitPrice == Price("98.8")!)
        // Gross (98.8 − 100) × 10 = −12; fees 1000 × 0.0004 + 988 × 0.0004 = 0.4 + 0.3952; net −12.7952.
        #expect(trade.grossPnL == -12)
        #expect(trade.fees == Money("0.7952")!)
        #expect(trade.netPnL == Money("-12.7952")!)
        #expect(output.walletBalance == Money("9987.2048")!)
    }

    @Test func aShortBarTouchingStopAndTargetStopsOutToo() throws {
        // Short at 100: stop 101.2, target 98.14; bar 2 touches both → stop at 101.2.
        let candles = Scenario.candles([Scenario.flat("100"), Scenario.flat("100"), ("100", "102", "98", "100"), Scenario.flat("100")])
        let output = Scenario.run(candles, signals: [0: .short])
        let trade = try #require(output.trades.first)
        #expect(trade.exitReason == .stopLoss)
        #expect(trade.exitPrice == Price("101.2")!)
        // Gross −(101.2 − 100) × 10 = −12.
        #expect(trade.grossPnL == -12)
    }

    @Test func aGapThroughTheStopFillsAtTheOpen() throws {
        // Stop 98.8; bar 2 opens at 98 (below the stop): the close fills at 98, not at 98.8.
        let candles = Scenario.candles([Scenario.flat("100"), Scenario.flat("100"), ("98", "98.5", "97.5", "98"), Scenario.flat("98")])
        let output = Scenario.run(candles, signals: [0: .long])
        let trade = try #require(output.trades.first)
        #expect(trade.exitReason == .stopLoss)
        #expect(trade.exitPrice == 98)
        // Gross (98 − 100) × 10 = −20; fees 0.4 + 980 × 0.0004 = 0.4 + 0.392 = 0.792; net −20.792.
        #expect(trade.netPnL == Money("-20.792")!)
    }

    @Test func theTargetFillsAtItsLevel() throws {
        // Target 101.86; bar 2 rises to 102 without touching the stop.
        let candles = Scenario.candles([Scenario.flat("100"), Scenario.flat("100"), ("100", "102", "99.5", "101"), Scenario.flat("101")])
        let output = Scenario.run(candles, signals: [0: .long])
        let trade = try #require(output.trades.first)
        #expect(trade.exitReason == .takeProfit)
        #expect(trade.exitPrice == Price("101.86")!)
        // Gross 1.86 × 10 = 18.6; fees 0.4 + 1018.6 × 0.0004 = 0.4 + 0.40744; net 17.79256.
        #expect(trade.netPnL == Money("17.79256")!)
    }

    @Test func theEntryBarItselfIsNotCheckedForExits() throws {
        // Entry at bar 1's open 100; bar 1 itself falls to 98 (below the stop): the reference
        // checks exits from the bar after entry, so the position survives bar 1.
        let candles = Scenario.candles([Scenario.flat("100"), ("100", "100", "98", "100"), Scenario.flat("100")])
        let output = Scenario.run(candles, signals: [0: .long])
        let trade = try #require(output.trades.first)
        #expect(trade.exitReason == .endOfData)
        #expect(trade.exitPrice == 100)
    }

    @Test func aLongPaysFundingAtAPositiveRate() throws {
        // Hourly bars from 00:00, all at 100. Long at bar 1's open (01:00), 10 @ 100.
        // Constant funding 0.01% every 8 h → settles at 08:00 (close of bar 7) on mark 100:
        // payment = 100 × 10 × 0.0001 = 0.1 USDT, paid by the long.
        let candles = Scenario.candles(Array(repeating: Scenario.flat("100"), count: 10), interval: 3_600_000)
        let output = Scenario.run(candles, signals: [0: .long], funding: .constant(rate: Rate("0.0001")!, interval: .seconds(8 * 3600)),
                                  interval: .seconds(3600))
        let trade = try #require(output.trades.first)
        #expect(trade.funding == Money("0.1")!)
        // Closed at the end at 100: gross 0; fees 0.4 + 0.4 = 0.8; net 0 − 0.8 − 0.1 = −0.9.
        #expect(trade.netPnL == Money("-0.9")!)
        #expect(output.walletBalance == Money("9999.1")!)
    }

    @Test func aTwentyTimesLongIsLiquidatedAtTheComputedPrice() throws {
        // 20x long, 10 @ 100 (notional 1000 → tier 1: MMR 1%, cum 0), margin 1000 / 20 = 50.
        // LP = (50 + 0 − 10 × 100) / (10 × 0.01 − 10) = −950 / −9.9 = 95.95959596 (rounded up).
        // Stop and target are far away (50%), so nothing protects the position; bar 2 falls to 94.
        let candles = Scenario.candles([Scenario.flat("100"), Scenario.flat("100"), ("99", "99.5", "94", "95"), Scenario.flat("95")])
        let output = Scenario.run(candles, signals: [0: .long], leverage: 20, stopMove: "0.5", targetMove: "0.5")
        let trade = try #require(output.trades.first)
        #expect(trade.exitReason == .liquidation)
        #expect(trade.exitPrice == Price("95.95959596")!)
        // The isolated margin is lost: gross −50; fee 0.4 on entry; net −50.4.
        #expect(trade.grossPnL == -50)
        #expect(trade.netPnL == Money("-50.4")!)
        #expect(output.walletBalance == Money("9949.6")!)
    }

    @Test func aReversalClosesAndOpensTheOppositeSideAtTheNextOpen() throws {
        // Long at bar 1's open 100; short signal at bar 2's close; bar 3 opens at 100.5:
        // the long closes at 100.5 (reason reversal) and a short of 1000 / 100.5 opens there.
        let candles = Scenario.candles([Scenario.flat("100"), Scenario.flat("100"), Scenario.flat("100.5"), Scenario.flat("100.5"),
                                        Scenario.flat("100.5")])
        let output = Scenario.run(candles, signals: [0: .long, 2: .short])
        try #require(output.trades.count == 2)
        #expect(output.trades[0].exitReason == .reversal)
        #expect(output.trades[0].exitPrice == Price("100.5")!)
        #expect(output.trades[1].side == .short)
        #expect(output.trades[1].entryPrice == Price("100.5")!)
        #expect(output.trades[1].entryTime == output.trades[0].exitTime)
    }
}
