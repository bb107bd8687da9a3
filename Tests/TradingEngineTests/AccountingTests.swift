import Testing
import TradingEngine
import TradingModel

/// Every accounting formula with the arithmetic written out.
@Suite struct AccountingTests {
    let tier1 = TestInstrument.instrument.marginBrackets[0]
    let tier2 = TestInstrument.instrument.marginBrackets[1]

    @Test func takerFeeIsNotionalTimesRate() {
        // 100 × 10 = 1000 USDT notional; × 0.05% = 0.5 USDT.
        #expect(FeeSchedule.binanceStandard.fee(price: 100, quantity: 10, liquidity: .taker) == Money("0.5")!)
        // maker: 1000 × 0.02% = 0.2 USDT.
        #expect(FeeSchedule.binanceStandard.fee(price: 100, quantity: 10, liquidity: .maker) == Money("0.2")!)
    }

    @Test func liquidationPriceOfA20xLong() {
        // LP = (WB + cum − side·size·EP) / (size·MMR − side·size)
        //    = (50 + 0 − 10·100) / (10·0.01 − 10) = −950 / −9.9 = 95.959595959… → up → 95.95959596
        let price = LiquidationPrice.isolated(side: .long, quantity: 10, entryPrice: 100, isolatedMargin: 50, bracket: tier1)
        #expect(price == Price("95.95959596")!)
    }

    @Test func liquidationPriceOfA20xShort() {
        // LP = (50 + 0 + 10·100) / (10·0.01 + 10) = 1050 / 10.1 = 103.960396039… → down → 103.96039603
        let price = LiquidationPrice.isolated(side: .short, quantity: 10, entryPrice: 100, isolatedMargin: 50, bracket: tier1)
        #expect(price == Price("103.96039603")!)
    }

    @Test func liquidationPriceUsesTheTiersMaintenanceAmount() {
        // 10x long, 100 @ 100 = 10,000 notional → tier 2 (MMR 2.5%, cum 75); margin 1000.
        // LP = (1000 + 75 − 10,000) / (100·0.025 − 100) = −8925 / −97.5 = 91.538461538… → up → 91.53846154
        let price = LiquidationPrice.isolated(side: .long, quantity: 100, entryPrice: 100, isolatedMargin: 1000, bracket: tier2)
        #expect(price == Price("91.53846154")!)
    }

    @Test func aOneTimesLongCannotBeLiquidated() {
        // LP = (1000 + 0 − 1000) / (…) = 0 → no liquidation price.
        #expect(LiquidationPrice.isolated(side: .long, quantity: 10, entryPrice: 100, isolatedMargin: 1000, bracket: tier1) == .zero)
    }

    @Test func openMarkAndCloseALong() {
        var portfolio = Portfolio(initialBalance: 10_000, instruments: [TestInstrument.instrument])
        // Buy 10 @ 100 at 20x, fee 0.5: wallet 10,000 − 0.5 = 9999.5; margin 1000 / 20 = 50.
        #expect(portfolio.apply(TestInstrument.fill(.buy, "10", at: "100", fee: "0.5"), symbolIndex: 0, leverage: 20) == .opened)
        #expect(portfolio.walletBalance == Money("9999.5")!)
        #expect(portfolio.usedMargin == 50)
        #expect(portfolio.availableMargin == Money("9949.5")!)
        #expect(portfolio.slots[0]?.liquidationPrice == Price("95.95959596")!)
        // Mark at 105: unrealized 10 × (105 − 100) = 50; equity 9999.5 + 50 = 10,049.5.
        portfolio.mark(0, at: 105)
        #expect(portfolio.equity == Money("10049.5")!)
        // Sell 10 @ 105, fee 0.525: realized 50; wallet 9999.5 + 50 − 0.525 = 10,048.975.
        let outcome = portfolio.apply(TestInstrument.fill(.sell, "10", at: "105", fee: "0.525", time: 60_000), symbolIndex: 0, leverage: 20)
        guard case .closed(let trade) = outcome else { Issue.record("expected a closed trade, got \(outcome)"); return }
        #expect(portfolio.walletBalance == Money("10048.975")!)
        #expect(portfolio.equity == Money("10048.975")!)
        // Trade: gross 50, fees 0.5 + 0.525 = 1.025, net 48.975.
        #expect(trade.grossPnL == 50)
        #expect(trade.fees == Money("1.025")!)
        #expect(trade.netPnL == Money("48.975")!)
        #expect(trade.exitPrice == 105)
        #expect(portfolio.openCount == 0)
    }

    @Test func partialCloseOfAShortReleasesMarginInProportion() {
        var portfolio = Portfolio(initialBalance: 1000, instruments: [TestInstrument.instrument])
        // Sell 4 @ 50 at 5x: margin 200 / 5 = 40.
        _ = portfolio.apply(TestInstrument.fill(.sell, "4", at: "50"), symbolIndex: 0, leverage: 5)
        // Buy back 1 @ 45: realized (50 − 45) × 1 = 5; released 40 × 1/4 = 10 → margin 30.
        #expect(portfolio.apply(TestInstrument.fill(.buy, "1", at: "45"), symbolIndex: 0, leverage: 5) == .reduced)
        #expect(portfolio.slots[0]?.isolatedMargin == 30)
        #expect(portfolio.slots[0]?.quantity == 3)
        #expect(portfolio.walletBalance == 1005)
    }

    @Test func addingToALongAveragesTheEntry() {
        var portfolio = Portfolio(initialBalance: 1000, instruments: [TestInstrument.instrument])
        // 1 @ 100 then 1 @ 110: entry (100 + 110) / 2 = 105; margin 100/10 + 110/10 = 21.
        _ = portfolio.apply(TestInstrument.fill(.buy, "1", at: "100"), symbolIndex: 0, leverage: 10)
        #expect(portfolio.apply(TestInstrument.fill(.buy, "1", at: "110"), symbolIndex: 0, leverage: 10) == .increased)
        #expect(portfolio.slots[0]?.entryPrice == 105)
        #expect(portfolio.slots[0]?.isolatedMargin == 21)
    }

    @Test func fundingIsPaidByALongAtAPositiveRate() {
        var portfolio = Portfolio(initialBalance: 1000, instruments: [TestInstrument.instrument])
        _ = portfolio.apply(TestInstrument.fill(.buy, "10", at: "100"), symbolIndex: 0, leverage: 10)
        // Payment = mark × size × rate = 102 × 10 × 0.0001 = 0.102 USDT, paid by the long.
        #expect(portfolio.applyFunding(symbolIndex: 0, rate: Rate("0.0001")!, markPrice: 102) == Money("0.102")!)
        #expect(portfolio.walletBalance == Money("999.898")!)
        // Isolated margin 100 − 0.102 = 99.898.
        #expect(portfolio.slots[0]?.isolatedMargin == Money("99.898")!)
        #expect(portfolio.totalFunding == Money("0.102")!)
    }

    @Test func fundingIsReceivedByAShortAtAPositiveRate() {
        var portfolio = Portfolio(initialBalance: 1000, instruments: [TestInstrument.instrument])
        _ = portfolio.apply(TestInstrument.fill(.sell, "10", at: "100"), symbolIndex: 0, leverage: 10)
        // −(100 × 10 × 0.0001) = −0.1: the short receives 0.1.
        #expect(portfolio.applyFunding(symbolIndex: 0, rate: Rate("0.0001")!, markPrice: 100) == Money("-0.1")!)
        #expect(portfolio.walletBalance == Money("1000.1")!)
    }

    @Test func aFillLargerThanThePositionFlipsIt() {
        var portfolio = Portfolio(initialBalance: 1000, instruments: [TestInstrument.instrument])
        _ = portfolio.apply(TestInstrument.fill(.buy, "2", at: "100"), symbolIndex: 0, leverage: 1)
        // Sell 3 @ 90 with fee 0.3: closes 2 (gross (90 − 100) × 2 = −20, fee 0.3 × 2/3 = 0.2), opens a short of 1 @ 90 (fee 0.1).
        let outcome = portfolio.apply(TestInstrument.fill(.sell, "3", at: "90", fee: "0.3"), symbolIndex: 0, leverage: 1)
        guard case .flipped(let trade) = outcome else { Issue.record("expected a flip, got \(outcome)"); return }
        #expect(trade.grossPnL == -20)
        #expect(trade.fees == Money("0.2")!)
        #expect(portfolio.slots[0]?.side == .short)
        #expect(portfolio.slots[0]?.quantity == 1)
        #expect(portfolio.slots[0]?.fees == Money("0.1")!)
        // Wallet 1000 − 0.3 − 20 = 979.7.
        #expect(portfolio.walletBalance == Money("979.7")!)
    }

    @Test func liquidationLosesTheIsolatedMargin() throws {
        var portfolio = Portfolio(initialBalance: 1000, instruments: [TestInstrument.instrument])
        _ = portfolio.apply(TestInstrument.fill(.buy, "10", at: "100", fee: "0.4"), symbolIndex: 0, leverage: 20)
        let liquidated = portfolio.liquidate(symbolIndex: 0, price: Price("95.95959596")!, time: Timestamp(milliseconds: 1))
        let trade = try #require(liquidated)
        // Margin 50 lost: wallet 1000 − 0.4 − 50 = 949.6; trade net −50 − 0.4 = −50.4.
        #expect(portfolio.walletBalance == Money("949.6")!)
        #expect(trade.netPnL == Money("-50.4")!)
        #expect(trade.exitReason == .liquidation)
        #expect(trade.exitPrice == Price("95.95959596")!)
    }

    @Test func drawdownIsTheLargestFallFromARunningPeak() {
        var curve = EquityCurve(initialEquity: 100, sampleInterval: .seconds(60))
        // 100 → 120 (peak) → 90 (fall 30 = 25% of 120) → 110 → 100 (fall 20): max 30.
        for (minute, equity) in [120, 90, 110, 100].enumerated() {
            curve.barClosed(time: Timestamp(milliseconds: Int64(minute) * 60_000), equity: Money(units: Int64(equity)),
                            walletBalance: Money(units: Int64(equity)), inPosition: minute < 2)
        }
        #expect(curve.maxDrawdown == 30)
        #expect(curve.maxDrawdownEquityPct == 25)
        #expect(curve.samples.map(\.drawdown) == [0, -30, -10, -20])
        // Exposure: 2 of 4 bars in a position = 50%.
        #expect(curve.exposurePct == 50)
    }
}
