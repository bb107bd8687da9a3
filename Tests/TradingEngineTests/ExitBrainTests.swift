import Testing
import TradingEngine
import TradingModel

@Suite("ExitBrain: leverage-scaled levels, ladders, stop and liquidation")
struct ExitBrainTests {
    let brain = ExitFixtures.brain()

    @Test("at 26.6x: LSF 0.2316, targets 0.83/1.32/1.86%, stop 1.20% (not widened)")
    func referenceFigures() {
        // LSF = 1 / (1 + ln 27.6) = 1 / (1 + 3.31782) = 0.231598
        let lsf = ExitBrain.leverageScalingFactor(leverage: 26.6)
        #expect(abs(lsf - 0.2316) < 0.00005)
        // TP1 = 1% × (0.6 + 0.2316) = 0.8316%; TP2 = 1% × (1.2 + 0.1158) = 1.3158%; TP3 = 1% × (1.8 + 0.0579) = 1.8579%
        let moves = brain.targetMoves(leverage: 26.6).map(\.percent)
        #expect(abs(moves[0] - 0.83) < 0.01)
        #expect(abs(moves[1] - 1.32) < 0.01)
        #expect(abs(moves[2] - 1.86) < 0.01)
        #expect(brain.stopMove(leverage: 26.6) == Rate("0.012")!)
        #expect(brain.stopMove(leverage: 50) == Rate("0.012")!, "the fixed stop is never widened with leverage")
        #expect(brain.harvestFractions(leverage: 26.6) == [Rate("0.4")!, Rate("0.4")!, Rate("0.2")!])
    }

    @Test("levels and ladders at 2x, 10x and 50x", arguments: [
        // (L, LSF = 1/(1+ln(L+1)), TP1%, TP2%, TP3%, ladder)
        (2.0, 0.47651, 1.0765, 1.4383, 1.9191, ["0.3", "0.3", "0.4"]),
        (10.0, 0.29430, 0.8943, 1.3472, 1.8736, ["0.3", "0.3", "0.4"]),
        (50.0, 0.20277, 0.8028, 1.3014, 1.8507, ["0.5", "0.3", "0.2"]),
    ])
    func levelsByLeverage(leverage: Double, lsf: Double, tp1: Double, tp2: Double, tp3: Double, ladder: [String]) {
        #expect(abs(ExitBrain.leverageScalingFactor(leverage: leverage) - lsf) < 0.00001)
        let moves = brain.targetMoves(leverage: leverage).map(\.percent)
        #expect(abs(moves[0] - tp1) < 0.0001)
        #expect(abs(moves[1] - tp2) < 0.0001)
        #expect(abs(moves[2] - tp3) < 0.0001)
        #expect(brain.harvestFractions(leverage: leverage) == ladder.map { Rate($0)! })
    }

    @Test("LSF is clamped to [0.1, 1]")
    func clamp() {
        // ln(10001) = 9.21 → 1/10.21 = 0.098 → clamped to 0.1
        #expect(ExitBrain.leverageScalingFactor(leverage: 10_000) == 0.1)
        #expect(ExitBrain.leverageScalingFactor(leverage: 1) <= 1)
    }

    @Test("ATOM short 2x plan: stop 2.250688 rounds down to 2.250, backstop 2.256, liquidation far above")
    func atomPlan() {
        let plan = ExitFixtures.plan(ExitFixtures.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        #expect(plan.stopPrice == Price("2.250")!)           // 2.224 × 1.012 = 2.250688 → down (buys sooner)
        #expect(plan.stopMove == Rate("0.012")!)
        #expect(plan.backstopPrice == Price("2.256")!)       // 2.250 + 2.224 × 0.003 = 2.256672 → down
        // LP = (WB + cum + size·EP) / (size·MMR + size): notional 991.97072, WB 495.98536,
        // (495.98536 + 991.97072) / (446.03 × 1.01) = 1487.95608 / 450.4903 = 3.30297…
        #expect(plan.liquidationPrice > Price("3.302")! && plan.liquidationPrice < Price("3.304")!)
        #expect(plan.targets.map(\.level) == [1, 2, 3])
        // 30/30/40 at 2x: 446.03 × 0.3 = 133.809 → 133.80; 133.80; 446.03 − 267.60 = 178.43
        #expect(plan.targets.map(\.quantity) == [Quantity("133.80")!, Quantity("133.80")!, Quantity("178.43")!])
        // short targets round up (never promise more): 2.224 × (1 − 0.0107651) = 2.200058 → 2.201
        #expect(plan.targets[0].price == Price("2.201")!)
    }

    @Test("slices floor to the step with the remainder in the last (ATOM 20x: 40/40/20)")
    func slicesFloor() {
        let plan = ExitFixtures.plan(ExitFixtures.atom, .short, entry: "2.224", quantity: "446.03", leverage: 20)
        // 446.03 × 0.4 = 178.412 → 178.41; 178.41; 446.03 − 356.82 = 89.21
        #expect(plan.targets.map(\.quantity) == [Quantity("178.41")!, Quantity("178.41")!, Quantity("89.21")!])
        #expect(plan.targets.reduce(Quantity.zero) { $0 + $1.quantity } == plan.quantity)
    }

    @Test("a slice below minimum notional merges into the next one")
    func minNotionalMerge() {
        // 6.00 ATOM at 2x (30/30/40): 1.80 / 1.80 / 2.40. TP1 slice 1.80 × ~2.25 ≈ 4.05 < 5 → merged into TP2
        // (3.60 × 2.256 ≈ 8.12); TP3 2.40 × ~2.267 ≈ 5.44 ≥ 5 stays.
        let plan = ExitFixtures.plan(ExitFixtures.atom, .long, entry: "2.224", quantity: "6.00", leverage: 2)
        #expect(plan.targets.map(\.level) == [2, 3])
        #expect(plan.targets.map(\.quantity) == [Quantity("3.60")!, Quantity("2.40")!])
        // 3.00 ATOM: 0.90/0.90/1.20 → TP1+TP2 = 1.80 (≈4.06) still below → carried to TP3: one slice of 3.00
        let small = ExitFixtures.plan(ExitFixtures.atom, .long, entry: "2.224", quantity: "3.00", leverage: 2)
        #expect(small.targets.map(\.level) == [3])
        #expect(small.targets.map(\.quantity) == [Quantity("3.00")!])
    }

    @Test("a 75x plan whose stop lies beyond liquidation is rejected with the numbers")
    func rejects75x() {
        // BTC short 0.01 @ 50000, 75x: WB = 500/75 = 6.66666666; LP = (6.66666666 + 500) / (0.01 × 1.004) = 50464.807 (0.93%)
        // while the 1.20% stop is 50600 and the backstop 50750.
        let result = brain.plan(symbol: "BTCUSDT", side: .short, entryPrice: Price(units: 50_000), quantity: Quantity("0.01")!,
                                leverage: 75, instrument: ExitFixtures.btc)
        guard case .failure(let rejection) = result else {
            Issue.record("a 75x plan with a 1.20% stop must be rejected")
            return
        }
        #expect(rejection.message.contains("liquidation price 50464.8"))
        #expect(rejection.message.contains("stop 50600"))
        #expect(rejection.message.contains("75x"))
    }

    @Test("50x: the fixed 1.20% stop does not fit; the marginRisk policy (30% ROE → 0.60%) does")
    func fiftyX() {
        // BTC long 0.01 @ 50000, 50x: LP = (10 − 500) / (0.01 × (0.004 − 1)) = 49196.79 (−1.61%)
        // fixed: backstop 1.50% + 0.25% buffer = 1.75% > 1.61% → rejected
        let fixed = brain.plan(symbol: "BTCUSDT", side: .long, entryPrice: Price(units: 50_000), quantity: Quantity("0.01")!,
                               leverage: 50, instrument: ExitFixtures.btc)
        #expect((try? fixed.get()) == nil)
        var settings = ExitSettings()
        settings.stopPolicy = .marginRisk(maxRoeLoss: Rate("0.30")!)
        let plan = ExitFixtures.plan(ExitFixtures.btc, .long, entry: "50000", quantity: "0.01", leverage: 50, settings: settings)
        #expect(plan.stopMove == Rate("0.006")!)              // 0.30 / 50
        #expect(plan.stopPrice == Price("49700")!)            // 50000 × 0.994
        #expect(plan.backstopPrice == Price("49550")!)        // 49700 − 150
        #expect(plan.liquidationPrice > Price("49196.7")! && plan.liquidationPrice < Price("49196.8")!)
        // 50/30/20: 0.005 / 0.003 / 0.002 BTC (notional at targets ≥ 100)
        #expect(plan.targets.map(\.quantity) == [Quantity("0.005")!, Quantity("0.003")!, Quantity("0.002")!])
    }

    @Test("volatility widening is off by default and scales targets and stop when on")
    func volatility() {
        let calm = brain.plan(symbol: "SOLUSDT", side: .long, entryPrice: Price(units: 100), quantity: Quantity(units: 10), leverage: 20,
                              instrument: ExitFixtures.sol, levelLeverage: nil, atrPercentile: 1.0)
        #expect((try? calm.get())?.stopMove == Rate("0.012")!, "off by default: the percentile is ignored")
        var settings = ExitSettings()
        settings.volatilityWidening = .init(startPercentile: 0.7, maxExtra: 0.5)
        let wide = ExitFixtures.brain(settings).plan(symbol: "SOLUSDT", side: .long, entryPrice: Price(units: 100), quantity: Quantity(units: 10),
                                                     leverage: 20, instrument: ExitFixtures.sol, levelLeverage: nil, atrPercentile: 1.0)
        let plan = try? wide.get()
        #expect(plan?.stopMove == Rate("0.018")!)             // 1.2% × 1.5
        #expect(plan?.stopPrice == Price("98.20")!)
    }

    @Test("fractional level leverage drives the formulas; the integer setting drives margin")
    func fractionalLeverage() {
        let result = brain.plan(symbol: "ATOMUSDT", side: .long, entryPrice: Price("2.224")!, quantity: Quantity("446.03")!, leverage: 27,
                                instrument: ExitFixtures.atom, levelLeverage: 26.6, atrPercentile: nil)
        let plan = try? result.get()
        #expect(plan?.targets.first?.priceMove == brain.targetMoves(leverage: 26.6)[0])
        #expect(plan?.leverage == 27)
    }

    @Test("bad settings are refused with the field named")
    func badSettings() {
        var settings = ExitSettings()
        settings.harvestLadders[1].fractions = [Rate("0.5")!, Rate("0.4")!, Rate("0.2")!]
        #expect(throws: ExitSettingsError.self) { try ExitBrain(settings: settings) }
        do {
            _ = try ExitBrain(settings: settings)
        } catch {
            #expect(error.field == "harvestLadders[1].fractions")
        }
    }
}
