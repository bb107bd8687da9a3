import TradingEngine
import TradingModel

/// Instruments, candle series, contexts and an exit-planner double for the risk tests.
enum RiskFixtures {
    static let hour: Int64 = 3_600_000
    /// 2024-03-01T00:00:00Z.
    static let start = Timestamp(milliseconds: 1_709_251_200_000)

    /// ATOMUSDT-like: tick 0.001, step 0.01, min notional 5, tiers 50× below 5,000 and 20× below 25,000.
    static let atom = Instrument(
        symbol: "ATOMUSDT", baseAsset: "ATOM", tickSize: Price("0.001")!, stepSize: Quantity("0.01")!,
        minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
            MarginBracket(notionalFloor: Money(units: 5_000), notionalCap: Money(units: 25_000), maintenanceMarginRate: Rate("0.025")!, maintenanceAmount: Money(units: 75), maxLeverage: 20),
        ])

    /// LINKUSDT-like: tick 0.01, step 0.01, min notional 20.
    static let link = Instrument(
        symbol: "LINKUSDT", baseAsset: "LINK", tickSize: Price("0.01")!, stepSize: Quantity("0.01")!,
        minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 20),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 10_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
        ])

    /// Deterministic SplitMix64 generator (no system randomness in tests).
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func price(_ value: Double) -> Price { Price(raw: Int64((value * 100_000).rounded()) * 1000) }

    /// Hourly candles from `start` whose returns are `drift + shock` per bar (shocks given).
    /// High/low are 0.2% beyond the body. Returns candles and the last close.
    static func hourlyCandles(from firstOpen: Timestamp = start, startPrice: Double, drift: Double, shocks: [Double]) -> [Candle] {
        var candles: [Candle] = []
        var close = startPrice
        for (index, shock) in shocks.enumerated() {
            let open = close
            close = open * (1 + drift + shock)
            candles.append(Candle(
                openTime: Timestamp(milliseconds: firstOpen.milliseconds + Int64(index) * hour),
                open: price(open), high: price(max(open, close) * 1.002), low: price(min(open, close) * 0.998),
                close: price(close), volume: Quantity(units: 1000)))
        }
        return candles
    }

    /// `count` shocks uniformly in ±`size`, from a seeded generator.
    static func shocks(count: Int, size: Double, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Double.random(in: -size...size, using: &generator) }
    }

    static func feed(_ validator: inout PreTradeValidator, _ symbol: Symbol, _ candles: [Candle]) {
        for candle in candles { validator.observe(.candle(symbol, candle, interval: .seconds(3600))) }
    }

    /// Close time of the last of `count` hourly candles from `start`.
    static func closeTime(count: Int) -> Timestamp { Timestamp(milliseconds: start.milliseconds + Int64(count) * hour) }

    static func context(_ instrument: Instrument, price: Price, time: Timestamp, equity: Money = Money("10056.84")!,
                        openPositions: [Position] = [], prices: [Symbol: Price] = [:],
                        fundingRate: Rate? = Rate("0.0001")) -> EntryContext {
        EntryContext(time: time, instrument: instrument, price: price, equity: equity, availableMargin: equity,
                     openPositions: openPositions, prices: prices, fundingRate: fundingRate)
    }

    static func signal(_ symbol: Symbol, _ side: Side, confidence: Double?, time: Timestamp) -> Signal {
        Signal(symbol: symbol, side: side, confidence: confidence, time: time, source: "test-model@1")
    }
}

/// Test double of the exit engine's planner: a fixed 1.20% stop (rounded toward the entry), one
/// 2.40% target for the whole quantity, a backstop 0.30% beyond the stop, and the isolated-margin
/// liquidation price `entry × (1 ∓ 1/leverage ± maintenanceMarginRate)` (no fees), rounded toward
/// the entry (the conservative side for the stop-to-liquidation distance).
struct RiskFixedStopPlanner: ExitPlanning {
    var stopMove = Rate("0.012")!

    func plan(symbol: Symbol, side: Side, entryPrice: Price, quantity: Quantity, leverage: Int,
              instrument: Instrument) -> Result<ExitPlan, ExitPlanRejection> {
        guard leverage >= 1 else { return .failure(ExitPlanRejection("leverage \(leverage) is below 1")) }
        guard quantity.isPositive else { return .failure(ExitPlanRejection("quantity \(quantity) is not positive")) }
        let direction: Int64 = side == .long ? -1 : 1
        let stop = instrument.roundStopPrice(entryPrice.moved(by: stopMove * direction, .nearest), protecting: side)
        let backstop = instrument.roundStopPrice(entryPrice.moved(by: (stopMove + Rate("0.003")!) * direction, .nearest), protecting: side)
        let target = instrument.roundTargetPrice(entryPrice.moved(by: stopMove * (-2 * direction), .nearest), for: side)
        let maintenance = instrument.bracket(forNotional: entryPrice.notional(quantity, .nearest)).maintenanceMarginRate
        let initialMargin = Rate(raw: FixedPoint.scale / Int64(leverage))
        let liquidation = side == .long
            ? instrument.roundPrice(entryPrice.moved(by: maintenance - initialMargin, .up), .up)
            : instrument.roundPrice(entryPrice.moved(by: initialMargin - maintenance, .down), .down)
        return .success(ExitPlan(
            symbol: symbol, side: side, entryPrice: entryPrice, quantity: quantity, leverage: leverage, stopPrice: stop,
            stopMove: stopMove, targets: [ExitTarget(price: target, quantity: quantity, priceMove: stopMove * 2)],
            backstopPrice: backstop, liquidationPrice: liquidation))
    }
}
