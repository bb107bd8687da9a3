import Testing
import TradingEngine
import TradingModel

@Suite("Position sizing from risk")
struct PositionSizerTests {
    let equity = Money("10056.84")!
    let stop = Rate("0.012")!
    let price = Price("2.224")!

    @Test("10,056.84 USDT equity, 0.5% risk, 1.20% stop → 4,190.35 USDT before caps, 1884.15 ATOM at 3×")
    func riskBasedSize() throws {
        let sizer = PositionSizer()
        let size = try sizer.size(price: price, stopMove: stop, equity: equity, availableMargin: equity,
                                  instrument: RiskFixtures.atom, notionalHeadroom: PositionSizer.unlimitedNotional).get()
        // risk budget = 10056.84 × 0.005 = 50.2842 USDT
        #expect(size.riskBudget == Money("50.2842")!)
        // notional = 50.2842 / 0.012 = 4190.35 USDT (no cap binds: margin cap 2011.368 × 10 = 20113.68)
        #expect(size.notionalBeforeCaps == Money("4190.35")!)
        #expect(size.cappedBy.isEmpty)
        // quantity = 4190.35 / 2.224 = 1884.1501… → floored to the 0.01 step = 1884.15
        #expect(size.quantity == Quantity("1884.15")!)
        // notional = 1884.15 × 2.224 = 4190.3496
        #expect(size.notional == Money("4190.3496")!)
        // margin budget = 10056.84 × 0.2 = 2011.368; leverage = ceil(4190.3496 / 2011.368 = 2.083…) = 3
        #expect(size.marginBudget == Money("2011.368")!)
        #expect(size.leverage == 3)
        // margin = 4190.3496 / 3 = 1396.7832
        #expect(size.margin == Money("1396.7832")!)
        // loss at the stop = 4190.3496 × 0.012 = 50.2841952 ≤ 50.2842 (flooring never adds risk)
        #expect(size.notional.times(stop, .up) <= size.riskBudget)
    }

    @Test("a notional headroom of 3,000 USDT caps the size: 1348.92 ATOM at 2×")
    func notionalCap() throws {
        let size = try PositionSizer().size(price: price, stopMove: stop, equity: equity, availableMargin: equity,
                                            instrument: RiskFixtures.atom, notionalHeadroom: Money(units: 3000)).get()
        // 3000 / 2.224 = 1348.9208… → 1348.92; 1348.92 × 2.224 = 2999.99808
        #expect(size.cappedBy == [.notionalHeadroom(Money(units: 3000))])
        #expect(size.quantity == Quantity("1348.92")!)
        #expect(size.notional == Money("2999.99808")!)
        // ceil(2999.99808 / 2011.368 = 1.49…) = 2
        #expect(size.leverage == 2)
    }

    @Test("the margin budget times the leverage cap bounds the notional")
    func marginCap() throws {
        let settings = SizingSettings(riskPerTrade: Rate("0.005")!, marginBudgetShare: Rate("0.02")!, maximumLeverage: 10)
        let size = try PositionSizer(settings: settings).size(price: price, stopMove: stop, equity: equity, availableMargin: equity,
                                                              instrument: RiskFixtures.atom, notionalHeadroom: PositionSizer.unlimitedNotional).get()
        // budget = 10056.84 × 0.02 = 201.1368; cap = 201.1368 × 10 = 2011.368
        #expect(size.cappedBy == [.margin(Money("2011.368")!, leverage: 10)])
        // 2011.368 / 2.224 = 904.3928… → 904.39; 904.39 × 2.224 = 2011.36336
        #expect(size.quantity == Quantity("904.39")!)
        #expect(size.notional == Money("2011.36336")!)
        // ceil(2011.36336 / 201.1368 = 9.99998…) = 10, never above the cap
        #expect(size.leverage == 10)
    }

    @Test("a ranging-regime multiplier of 0.5 halves the notional before flooring")
    func multiplier() throws {
        let size = try PositionSizer().size(price: price, stopMove: stop, equity: equity, availableMargin: equity,
                                            instrument: RiskFixtures.atom, sizeMultiplier: Rate("0.5")!,
                                            notionalHeadroom: PositionSizer.unlimitedNotional).get()
        // 4190.35 × 0.5 = 2095.175; / 2.224 = 942.075… → 942.07; × 2.224 = 2095.16368; ceil(2095.16368 / 2011.368) = 2
        #expect(size.notionalBeforeCaps == Money("2095.175")!)
        #expect(size.quantity == Quantity("942.07")!)
        #expect(size.leverage == 2)
    }

    @Test("below minimum notional is rejected, never rounded up into a bigger risk")
    func belowMinimum() {
        // equity 40: budget 0.2 USDT; 0.2 / 0.012 = 16.66666666; / 13.184 = 1.264… → 1.26; 1.26 × 13.184 = 16.61184 < 20
        let result = PositionSizer().size(price: Price("13.184")!, stopMove: stop, equity: Money(units: 40), availableMargin: Money(units: 40),
                                          instrument: RiskFixtures.link, notionalHeadroom: PositionSizer.unlimitedNotional)
        #expect(result == .failure(.belowMinNotional(Money("16.61184")!, minimum: Money(units: 20))))
    }

    @Test("errors reject; nothing falls back to a default or maximum leverage")
    func errorsReject() {
        let sizer = PositionSizer()
        let noStop = sizer.size(price: price, stopMove: .zero, equity: equity, availableMargin: equity,
                                instrument: RiskFixtures.atom, notionalHeadroom: PositionSizer.unlimitedNotional)
        #expect(noStop == .failure(.checkUnavailable(.sizing, "stop move 0 is not positive")))
        let noMargin = sizer.size(price: price, stopMove: stop, equity: equity, availableMargin: .zero,
                                  instrument: RiskFixtures.atom, notionalHeadroom: PositionSizer.unlimitedNotional)
        #expect(noMargin == .failure(.insufficientMargin(available: .zero)))
        let noEquity = sizer.size(price: price, stopMove: stop, equity: Money(units: -5), availableMargin: equity,
                                  instrument: RiskFixtures.atom, notionalHeadroom: PositionSizer.unlimitedNotional)
        #expect(noEquity == .failure(.checkUnavailable(.sizing, "equity -5 USDT is not positive")))
    }

    @Test("the instrument's tier lowers the leverage cap for a larger notional")
    func tierCap() throws {
        // 125× allowed by the settings, but a 6,000 USDT ATOM position sits in the 20× tier, so the
        // leverage cap is min(125, 20) = 20 and the margin cap is 100 × 20 = 2000 USDT.
        let settings = SizingSettings(riskPerTrade: Rate("0.05")!, marginBudgetShare: Rate("0.01")!, maximumLeverage: 125)
        let size = try PositionSizer(settings: settings).size(price: price, stopMove: stop, equity: Money(units: 10_000),
                                                              availableMargin: Money(units: 10_000), instrument: RiskFixtures.atom,
                                                              notionalHeadroom: Money(units: 6000)).get()
        // 10000 × 0.05 / 0.012 = 41666.66 → headroom 6000 → 20× tier → margin cap 100 × 20 = 2000
        #expect(size.cappedBy == [.notionalHeadroom(Money(units: 6000)), .margin(Money(units: 2000), leverage: 20)])
        #expect(size.leverage == 20)
    }
}
