import Testing
import TradingEngine
import TradingModel

/// Seeded random contexts (SplitMix64, fixed seed: reproducible): whatever the instrument,
/// account, book and settings, an approval never breaks a safety invariant.
@Suite("Validator properties over random contexts")
struct ValidatorPropertyTests {
    struct Case {
        var instrument: Instrument
        var settings: ValidationSettings
        var stopMove: Rate
        var context: EntryContext
        var side: Side
    }

    static func money(_ value: Double) -> Money { Money(raw: Int64(value * 100_000_000)) }
    /// Spread over decades: 10^k × uniform(1, 10) for k in `decades` (equity from 10 to 10^6 USDT).
    static func decadeSpread(_ decades: ClosedRange<Int>, _ generator: inout RiskFixtures.SeededGenerator) -> Double {
        var scale = 1.0
        for _ in 0..<Int.random(in: decades, using: &generator) { scale *= 10 }
        return scale * Double.random(in: 1...10, using: &generator)
    }

    static func randomCase(_ g: inout RiskFixtures.SeededGenerator, time: Timestamp) -> Case {
        let magnitude = Int.random(in: -2...4, using: &g)
        var unit = 1.0
        if magnitude >= 0 { for _ in 0..<magnitude { unit *= 10 } } else { for _ in 0 ..< -magnitude { unit /= 10 } }
        let tickRaw = max(1, Int64((unit * 1e-4 * 1e8).rounded()))
        let tick = Price(raw: tickRaw)
        let price = Price(raw: Int64((Double.random(in: 1...10, using: &g) * unit * 1e8) / Double(tickRaw)) * tickRaw)
        let stepRaw = [Int64(100_000), 1_000_000, 100_000_000, 1_000_000_000][Int.random(in: 0...3, using: &g)]
        let step = Quantity(raw: stepRaw)
        let leverages = [125, 75, 50, 20, 10, 5]
        let rates = ["0.004", "0.005", "0.01", "0.025", "0.05"]
        var brackets: [MarginBracket] = []
        var floor = Money.zero
        var leverageIndex = Int.random(in: 0...2, using: &g)
        for tier in 0..<Int.random(in: 1...3, using: &g) {
            let cap = money(Double.random(in: 2_000...50_000, using: &g) * Double(tier + 1) * Double(tier + 1))
            let cappedCap = max(cap, floor + Money(units: 1))
            brackets.append(MarginBracket(notionalFloor: floor, notionalCap: cappedCap, maintenanceMarginRate: Rate(rates[min(tier + Int.random(in: 0...2, using: &g), 4)])!,
                                          maintenanceAmount: .zero, maxLeverage: leverages[min(leverageIndex, 5)]))
            floor = cappedCap
            leverageIndex += 1
        }
        let instrument = Instrument(symbol: "TESTUSDT", baseAsset: "TEST", tickSize: tick, stepSize: step, minQuantity: step,
                                    maxQuantity: Quantity(raw: stepRaw * Int64.random(in: 1_000...10_000_000, using: &g)),
                                    minNotional: Money(units: [5, 20, 100][Int.random(in: 0...2, using: &g)]), marginBrackets: brackets)
        var settings = ValidationSettings()
        settings.confidence.isEnabled = false
        settings.trend.isEnabled = false
        settings.regime.isEnabled = false
        settings.correlation.isEnabled = false
        settings.funding.isEnabled = false
        settings.directionalExposure.isEnabled = Bool.random(using: &g)
        settings.book.maximumOpenPositions = Int.random(in: 1...5, using: &g)
        settings.book.allowAddingToOpenPosition = Bool.random(using: &g)
        settings.book.maximumSymbolNotional = .equityMultiple(Rate(fraction: Double.random(in: 0.05...3, using: &g), .down))
        settings.book.maximumTotalNotional = Bool.random(using: &g)
            ? .equityMultiple(Rate(fraction: Double.random(in: 0.1...5, using: &g), .down))
            : .absolute(money(Double.random(in: 10...500_000, using: &g)))
        settings.sizing = SizingSettings(riskPerTrade: Rate(fraction: Double.random(in: 0.001...0.03, using: &g), .down),
                                         marginBudgetShare: Rate(fraction: Double.random(in: 0.01...1, using: &g), .down),
                                         maximumLeverage: Int.random(in: 1...125, using: &g))
        settings.minimumStopLiquidationDistance = Rate(fraction: Double.random(in: 0...0.02, using: &g), .down)
        let equity = money(decadeSpread(1...5, &g))
        var positions: [Position] = []
        var prices: [Symbol: Price] = [:]
        for index in 0..<Int.random(in: 0...3, using: &g) {
            let symbol: Symbol = index == 0 && Bool.random(using: &g) ? "TESTUSDT" : Symbol("OTHER\(index)USDT")!
            let positionPrice = symbol == "TESTUSDT" ? price : Price(units: Int64.random(in: 1...500, using: &g))
            let quantity = Quantity(raw: max(1, Money(raw: equity.raw / Int64.random(in: 1...20, using: &g)).quantity(at: positionPrice, .down).raw))
            positions.append(Position(symbol: symbol, side: Bool.random(using: &g) ? .long : .short, quantity: quantity, entryPrice: positionPrice,
                                      leverage: 5, isolatedMargin: Money(units: 1), openedAt: time))
            prices[symbol] = positionPrice
        }
        let context = EntryContext(time: time, instrument: instrument, price: price, equity: equity,
                                   availableMargin: equity.times(Rate(fraction: Double.random(in: 0...1, using: &g), .down), .down),
                                   openPositions: positions, prices: prices, fundingRate: nil)
        return Case(instrument: instrument, settings: settings, stopMove: Rate(fraction: Double.random(in: 0.002...0.08, using: &g), .down),
                    context: context, side: Bool.random(using: &g) ? .long : .short)
    }

    @Test("never below min notional, above a cap or the leverage cap, beyond the margin, or with a stop beyond liquidation (4,000 cases)")
    func approvalsKeepInvariants() {
        var lastReport: ValidationReport?
        var riskActions: [RiskAction] = []
        var generator = RiskFixtures.SeededGenerator(seed: 20_240_301)
        let time = RiskFixtures.start.advanced(by: .seconds(86_400))
        var approved = 0
        var rejectedKinds: [String: Int] = [:]
        for _ in 0..<4_000 {
            let item = Self.randomCase(&generator, time: time)
            var validator = PreTradeValidator(settings: item.settings, planner: RiskFixedStopPlanner(stopMove: item.stopMove))
            let price = item.context.price
            validator.observe(.candle("TESTUSDT", Candle(openTime: time.advanced(by: .seconds(-60)), open: price, high: price, low: price,
                                                         close: price, volume: Quantity(units: 1)), interval: .seconds(60)))
            let signal = RiskFixtures.signal("TESTUSDT", item.side, confidence: nil, time: time)
            let decision = judged(validator.evaluate(signal, context: item.context), into: &lastReport, risk: &riskActions)
            guard case .approved(let entry) = decision else {
                for reason in lastReport?.reasons ?? [] { rejectedKinds[reason.kind, default: 0] += 1 }
                #expect(lastReport?.reasons.isEmpty == false, "a rejection without a reason")
                continue
            }
            approved += 1
            let instrument = item.instrument
            let context = item.context
            let settings = item.settings
            let quantity = entry.quantity
            let notional = price.notional(quantity, .up)
            // min notional and the step grid
            #expect(quantity.isMultiple(of: instrument.marketStepSize) && quantity >= instrument.marketMinQuantity)
            #expect(price.notional(quantity, .down) >= instrument.minNotional)
            #expect(quantity <= instrument.marketMaxQuantity)
            // caps (open notionals at the context prices)
            let open = context.openPositions.map { ($0.symbol, context.prices[$0.symbol]!.notional($0.quantity, .up)) }
            let symbolOpen = open.filter { $0.0 == "TESTUSDT" }.reduce(Money.zero) { $0 + $1.1 }
            let totalOpen = open.reduce(Money.zero) { $0 + $1.1 }
            #expect(symbolOpen + notional <= settings.book.maximumSymbolNotional.amount(equity: context.equity))
            #expect(totalOpen + notional <= settings.book.maximumTotalNotional.amount(equity: context.equity))
            #expect(context.openPositions.count < settings.book.maximumOpenPositions)
            // leverage and margin
            #expect(entry.leverage >= 1 && entry.leverage <= settings.sizing.maximumLeverage)
            #expect(entry.leverage <= instrument.maxLeverage(forNotional: notional))
            let margin = notional.divided(by: Int64(entry.leverage), .up)
            #expect(margin <= context.availableMargin && margin <= context.equity.times(settings.sizing.marginBudgetShare, .down))
            // stop inside liquidation by at least the minimum distance
            let plan = entry.plan
            #expect(plan.quantity == quantity && plan.leverage == entry.leverage)
            let gap = item.side == .long ? plan.stopPrice - plan.liquidationPrice : plan.liquidationPrice - plan.stopPrice
            #expect(gap.isPositive)
            #expect(Rate(raw: FixedPoint.multiplyDivide(gap.raw, FixedPoint.scale, price.raw, rounding: .up)) >= settings.minimumStopLiquidationDistance)
            // the loss at the stop stays within the risk budget
            let loss = Money(raw: FixedPoint.multiplyDivide((plan.stopPrice - price).magnitude.raw, quantity.raw, FixedPoint.scale, rounding: .up))
            #expect(loss <= context.equity.times(settings.sizing.riskPerTrade, .down))
        }
        // the property is not vacuous: both outcomes and the guarded failure paths occur
        #expect(approved >= 400, "only \(approved) approvals")
        #expect(rejectedKinds["below_min_notional", default: 0] >= 20)
        #expect(rejectedKinds["stop_too_close_to_liquidation", default: 0] >= 20)
        #expect(rejectedKinds["max_open_positions", default: 0] >= 20)
    }
}
