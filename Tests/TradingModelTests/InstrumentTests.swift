import Testing
import TradingModel

@Suite("Instrument filters and rounding")
struct InstrumentTests {
    @Test("a short's stop rounds down, toward the entry: ATOMUSDT 2.224 + 1.20% → 2.250")
    func shortStop() {
        let raw = Price("2.224")!.moved(by: Rate("0.012")!, .nearest)   // 2.250688
        let stop = atom.roundStopPrice(raw, protecting: .short)
        #expect(stop == Price("2.250")!)
        #expect(stop <= raw, "the rounded stop must not allow a larger loss than intended")
    }

    @Test("a long's stop rounds up, toward the entry")
    func longStop() {
        let raw = Price("2.224")!.moved(by: -Rate("0.012")!, .nearest)  // 2.197312
        #expect(atom.roundStopPrice(raw, protecting: .long) == Price("2.198")!)
        // LINKUSDT-like tick 0.01: 13.184 × 0.988 = 13.025792 → 13.03
        let linkStop = link.roundStopPrice(Price("13.184")!.moved(by: -Rate("0.012")!, .nearest), protecting: .long)
        #expect(linkStop == Price("13.03")!)
        // and a LINK short: 13.184 × 1.012 = 13.342208 → 13.34
        #expect(link.roundStopPrice(Price("13.342208")!, protecting: .short) == Price("13.34")!)
    }

    @Test("targets never promise more than intended")
    func targets() {
        #expect(atom.roundTargetPrice(Price("2.24246")!, for: .long) == Price("2.242")!)
        #expect(atom.roundTargetPrice(Price("2.20554")!, for: .short) == Price("2.206")!)
    }

    @Test("quantities floor to the step")
    func quantityFloor() {
        #expect(atom.floorQuantity(Quantity("446.0399")!) == Quantity("446.03")!)
        #expect(link.floorQuantity(Quantity("75.879")!) == Quantity("75.87")!)
    }

    @Test("below minimum notional is rejected with the values")
    func minNotional() {
        let violations = atom.check(quantity: Quantity("2.00")!, price: Price("2.224")!, market: true, reduceOnly: false)
        #expect(violations == [.notionalBelowMinimum(Money("4.448")!, minimum: Money(units: 5))])
        #expect(violations.first?.description == "notional 4.448 USDT is below the minimum notional 5 USDT")
        // reduce-only orders are exempt, as on Binance
        #expect(atom.check(quantity: Quantity("2.00")!, price: Price("2.224")!, market: true, reduceOnly: true).isEmpty)
        // LINKUSDT-like min notional 20
        #expect(link.check(quantity: Quantity("1.50")!, price: Price("13.18")!, market: true, reduceOnly: false)
            == [.notionalBelowMinimum(Money("19.77")!, minimum: Money(units: 20))])
    }

    @Test("off-grid prices and quantities are named")
    func offGrid() {
        let violations = atom.check(quantity: Quantity("1.005")!, price: Price("5.0005")!, market: false, reduceOnly: false)
        #expect(violations.contains(.quantityNotOnStep(Quantity("1.005")!, step: Quantity("0.01")!)))
        #expect(violations.contains(.priceNotOnTick(Price("5.0005")!, tick: Price("0.001")!)))
    }

    @Test("maintenance margin tiers")
    func tiers() {
        #expect(atom.bracket(forNotional: Money(units: 1_000)).maintenanceMarginRate == Rate("0.01")!)
        #expect(atom.bracket(forNotional: Money(units: 6_000)).maxLeverage == 20)
        // 6000 × 0.025 − 75 = 75
        #expect(atom.bracket(forNotional: Money(units: 6_000)).maintenanceMargin(notional: Money(units: 6_000)) == Money(units: 75))
    }

    @Test("percentages say what they measure")
    func percentages() {
        // ATOMUSDT short 446.03 @ 2.224, 2x: at 2.262 the price moved 1.7086% against it.
        let position = Position(symbol: "ATOMUSDT", side: .short, quantity: Quantity("446.03")!, entryPrice: Price("2.224")!,
                                leverage: 2, isolatedMargin: Money("495.98536")!, openedAt: Timestamp(milliseconds: 0))
        // PnL = −446.03 × (2.262 − 2.224) = −16.94914
        #expect(position.unrealizedPnL(at: Price("2.262")!) == Money("-16.94914")!)
        let returns = position.returns(at: Price("2.262")!, equity: Money("10056.84")!)
        #expect(abs(returns.priceMovePct - -1.708633) < 1e-6)
        #expect(abs(returns.roePct! - -3.417266) < 1e-5)          // −16.94914 / 495.98536
        #expect(abs(returns.equityPct! - -0.168534) < 1e-5)       // −16.94914 / 10056.84
    }
}

/// `passesFilters` (the venue's allocation-free fast path) says "no violation" exactly when
/// `check` reports none (grid violations aside when `ignoringGrid`).
@Suite("Instrument filter fast path")
struct InstrumentFilterFastPathTests {
    static let quantities = ["0", "-1", "0.05", "0.1", "0.15", "1", "1.05", "446.03", "446.035", "1000000"]
    static let prices = ["0", "-2", "0.0005", "0.001", "2.224", "2.2245", "2.25", "13.184", "1000"]

    @Test(arguments: [false, true])
    func agreesWithCheck(ignoringGrid: Bool) {
        for instrument in [atom, link] {
            for quantityText in Self.quantities {
                for priceText in Self.prices {
                    for market in [false, true] {
                        for reduceOnly in [false, true] {
                            let quantity = Quantity(quantityText)!
                            let price = Price(priceText)!
                            var violations = instrument.check(quantity: quantity, price: price, market: market, reduceOnly: reduceOnly)
                            if ignoringGrid {
                                violations.removeAll {
                                    if case .quantityNotOnStep = $0 { true } else if case .priceNotOnTick = $0 { true } else { false }
                                }
                            }
                            #expect(instrument.passesFilters(quantity: quantity, price: price, market: market, reduceOnly: reduceOnly,
                                                             ignoringGrid: ignoringGrid) == violations.isEmpty,
                                    "\(instrument.symbol) q \(quantityText) p \(priceText) market \(market) reduceOnly \(reduceOnly): \(violations)")
                        }
                    }
                }
            }
        }
    }
}
