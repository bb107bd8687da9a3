import Testing
import TradingEngine
import TradingModel

/// Values from data that do not fit 64-bit fixed point never trap: an order whose numbers
/// overflow is rejected with a reason, a fill or mark that cannot be booked sets the ledger's
/// fault (the run stops), and nothing is half-booked.
@Suite struct ArithmeticGuardTests {
    static let gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 1, stopMove: Rate("0.012")!,
                                                             targetMove: Rate("0.0186")!, roundQuantityToStep: false))

    static func context(price: String) -> EntryContext {
        EntryContext(time: Timestamp(milliseconds: 0), instrument: TestInstrument.instrument, price: Price(price)!,
                     equity: Money(units: 10_000), availableMargin: Money(units: 10_000), openPositions: [], prices: [:], fundingRate: nil)
    }

    static let signal = Signal(symbol: TestInstrument.symbol, side: .long, confidence: nil, time: Timestamp(milliseconds: 0), source: "test")

    // MARK: Sizing (once a trap in FixedNotionalEntryGate)

    @Test func sizingAtOneHundredMillionthIsRejectedWithAReason() {
        // 1000 USDT / 0.00000001 = 100,000,000,000 units = 10^19 raw: more than Int64 holds.
        var gate = Self.gate
        guard case .rejected(_, let reasons) = gate.evaluate(Self.signal, context: Self.context(price: "0.00000001")).decision else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reasons == [.arithmeticOverflow("quantity = notional 1000 / price 0.00000001")])
        #expect(reasons.map(\.description) == ["arithmeticOverflow(quantity = notional 1000 / price 0.00000001)"])
    }

    @Test func sizingAtTheLargestPriceIsRejectedWithAReason() {
        // The target 92233720368.54775807 × 1.0186 does not fit.
        var gate = Self.gate
        guard case .rejected(_, let reasons) = gate.evaluate(Self.signal, context: Self.context(price: "92233720368.54775807")).decision else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reasons.count == 1)
        #expect(reasons[0].kind == "arithmetic_overflow")
    }

    // MARK: Booking (once a trap in Portfolio.reduce)

    @Test func closingAtTenBillionSetsTheFaultAndBooksNothing() throws {
        var portfolio = Portfolio(initialBalance: Money(units: 10_000), instruments: [TestInstrument.instrument])
        // 666.66666666 long at 1.5 (1000 USDT), then a close at 10,000,000,000:
        // PnL ≈ 666.67 × 10^10 = 6.7 × 10^12 USDT = 6.7 × 10^20 raw: does not fit.
        _ = portfolio.apply(TestInstrument.fill(.buy, "666.66666666", at: "1.5"), symbolIndex: 0, leverage: 1)
        let before = portfolio.walletBalance
        let outcome = portfolio.apply(TestInstrument.fill(.sell, "666.66666666", at: "10000000000", time: 60_000), symbolIndex: 0, leverage: 1)
        #expect(outcome == .unbooked)
        let fault = try #require(portfolio.fault)
        #expect(fault.symbol == TestInstrument.symbol)
        #expect(fault.time == Timestamp(milliseconds: 60_000))
        #expect(fault.description.contains("SELL 666.66666666 at 10000000000"))
        #expect(portfolio.walletBalance == before)
        #expect(portfolio.position(0)?.quantity == Quantity("666.66666666"))
    }

    @Test func markingAtAnExtremePriceSetsTheFaultInsteadOfTrapping() throws {
        var portfolio = Portfolio(initialBalance: Money(units: 10_000), instruments: [TestInstrument.instrument])
        _ = portfolio.apply(TestInstrument.fill(.buy, "666.66666666", at: "1.5"), symbolIndex: 0, leverage: 1)
        portfolio.mark(0, at: Price("92233720368.54775807")!)
        #expect(portfolio.fault != nil)
        #expect(portfolio.totalUnrealized == .zero)
    }

    @Test func fundingOnAPositionWorthTooMuchSetsTheFault() {
        var portfolio = Portfolio(initialBalance: Money(units: 10_000), instruments: [TestInstrument.instrument])
        _ = portfolio.apply(TestInstrument.fill(.buy, "666.66666666", at: "1.5"), symbolIndex: 0, leverage: 1)
        #expect(portfolio.applyFunding(symbolIndex: 0, rate: Rate("0.0001")!, markPrice: Price("92233720368.54775807")!) == nil)
        #expect(portfolio.fault != nil)
    }

    @Test func anOpeningFillTooLargeToBookIsUnbooked() {
        var portfolio = Portfolio(initialBalance: Money(units: 10_000), instruments: [TestInstrument.instrument])
        // 10^10 × 10^9 units: notional 10^19 USDT.
        #expect(portfolio.apply(TestInstrument.fill(.buy, "1000000000", at: "10000000000"), symbolIndex: 0, leverage: 1) == .unbooked)
        #expect(portfolio.position(0) == nil)
        #expect(portfolio.openCount == 0)
    }

    // MARK: Liquidation price (once a precondition and a trapping division)

    @Test func aLiquidationPriceBeyondInt64IsClampedToTheSafeExtreme() {
        let tier = TestInstrument.instrument.marginBrackets[0]
        // Short 0.00000001 at the largest price with the largest margin: LP = (WB + cum + size·EP)
        // / (size·MMR + size) ≈ 9.2 × 10^10 USDT / 10^-8 units: beyond Int64 → never reached.
        #expect(LiquidationPrice.isolated(side: .short, quantity: Quantity(raw: 1), entryPrice: Price(raw: .max),
                                          isolatedMargin: Money(raw: .max), bracket: tier) == Price(raw: .max))
        // Long 0.00000001 whose margin is the largest amount: the formula's price is far below
        // zero → no liquidation price.
        #expect(LiquidationPrice.isolated(side: .long, quantity: Quantity(raw: 1), entryPrice: Price(raw: 1),
                                          isolatedMargin: Money(raw: .max), bracket: tier) == .zero)
    }

    @Test func aOneHundredPercentMaintenanceRateGivesAnExtremeNotATrap() {
        let full = MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 1_000_000), maintenanceMarginRate: Rate("1")!,
                                 maintenanceAmount: .zero, maxLeverage: 1)
        // Long 10 @ 100: denominator 10·1 − 10 = 0. Margin 50 < notional 1000: liquidated at any price.
        #expect(LiquidationPrice.isolated(side: .long, quantity: 10, entryPrice: 100, isolatedMargin: 50, bracket: full) == Price(raw: .max))
        // Margin 2000 > notional 1000: never liquidated.
        #expect(LiquidationPrice.isolated(side: .long, quantity: 10, entryPrice: 100, isolatedMargin: 2000, bracket: full) == .zero)
    }

    @Test func checkedArithmeticAgreesWithTheTrappingOneWhereBothFit() {
        for (a, b, divisor) in [(Int64(123_456_789), Int64(987_654_321), Int64(100_000_000)), (-5, 3, 2), (Int64.max / 3, 2, 3)] {
            for rounding in [Rounding.down, .up, .towardZero, .nearest] {
                #expect(FixedPoint.checkedMultiplyDivide(a, b, divisor, rounding: rounding)
                        == FixedPoint.multiplyDivide(a, b, divisor, rounding: rounding))
                #expect(FastFixedPoint.checkedMultiplyDivide(a, b, divisor, rounding: rounding)
                        == FixedPoint.multiplyDivide(a, b, divisor, rounding: rounding))
            }
        }
        #expect(FixedPoint.checkedMultiplyDivide(.max, .max, 1, rounding: .nearest) == nil)
        #expect(FixedPoint.checkedMultiplyDivide(1, 1, 0, rounding: .nearest) == nil)
        #expect(FixedPoint.checkedMultiplyDivide(.min, 1, -1, rounding: .nearest) == nil)
    }
}
