import TradingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit engine's planner: pure functions from a prospective position (entry, quantity,
/// leverage, instrument) to its exit plan — leverage-scaled targets, the harvest ladder, the stop,
/// the exchange backstop and the liquidation check. No I/O, no clock, no randomness.
///
/// Leverage: the venue's leverage setting is an integer (`Position.leverage`), and it is what the
/// initial margin and liquidation price use. The level formulas take a `Double` *level leverage*
/// so that an effective leverage (notional / margin, e.g. 26.6x) can drive them; by default it is
/// the integer setting.
public struct ExitBrain: ExitPlanning, Sendable {
    public let settings: ExitSettings

    public init(settings: ExitSettings = ExitSettings()) throws(ExitSettingsError) {
        try settings.validate()
        self.settings = settings
    }

    // MARK: - Level formulas

    /// `LSF(L) = 1 / (1 + ln(L + 1))`, clamped to [0.1, 1]. `LSF(26.6) ≈ 0.2316`.
    public static func leverageScalingFactor(leverage: Double) -> Double {
        precondition(leverage.isFinite && leverage >= 1, "leverage must be ≥ 1, got \(leverage)")
        return min(1, max(0.1, 1 / (1 + log(leverage + 1))))
    }

    /// The three target moves from entry: `base × (0.6 + LSF)`, `base × (1.2 + LSF/2)`,
    /// `base × (1.8 + LSF/4)`, times the volatility multiplier. Rounded to the nearest 1e-8.
    public func targetMoves(leverage: Double, volatilityMultiplier: Double = 1) -> [Rate] {
        let lsf = Self.leverageScalingFactor(leverage: leverage)
        let base = settings.baseTargetMove.doubleValue * volatilityMultiplier
        return [base * (0.6 + lsf), base * (1.2 + lsf / 2), base * (1.8 + lsf / 4)].map { Rate(fraction: $0, .nearest) }
    }

    /// The stop as a price move against the position, from the stop policy (never widened by
    /// leverage under the fixed policy), times the volatility multiplier.
    public func stopMove(leverage: Double, volatilityMultiplier: Double = 1) -> Rate {
        switch settings.stopPolicy {
        case .fixedPriceMove(let move):
            volatilityMultiplier == 1 ? move : Rate(fraction: move.doubleValue * volatilityMultiplier, .nearest)
        case .marginRisk(let maxRoeLoss):
            // stop = maxRoeLoss / L, to the nearest 1e-8; the price is then rounded to the safe side.
            Rate(fraction: maxRoeLoss.doubleValue / leverage * volatilityMultiplier, .nearest)
        }
    }

    /// The harvest fractions for a leverage: the first ladder whose `maxLeverage` covers it.
    public func harvestFractions(leverage: Double) -> [Rate] {
        for ladder in settings.harvestLadders where leverage <= ladder.maxLeverage {
            return ladder.fractions
        }
        return settings.harvestLadders[settings.harvestLadders.count - 1].fractions
    }

    /// Splits `quantity` by `fractions`: each slice floored to the market step, the remainder in
    /// the last; a slice whose notional at its target price is below the minimum notional is
    /// merged into the next one (the last one into the previous). Returns `(level, quantity)`.
    public static func slices(quantity: Quantity, fractions: [Rate], targetPrices: [Price], instrument: Instrument) -> [(level: Int, quantity: Quantity)] {
        precondition(fractions.count == targetPrices.count && !fractions.isEmpty, "one fraction per target")
        var raw: [Quantity] = []
        var allocated = Quantity.zero
        for index in fractions.indices {
            if index == fractions.count - 1 {
                raw.append(quantity - allocated)
            } else {
                let slice = instrument.floorQuantity(quantity.times(fractions[index], .down))
                raw.append(slice)
                allocated += slice
            }
        }
        var result: [(level: Int, quantity: Quantity)] = []
        var carry = Quantity.zero
        for index in raw.indices {
            let slice = raw[index] + carry
            let notional = targetPrices[index].notional(slice, .down)
            if index < raw.count - 1 && notional < instrument.minNotional {
                carry = slice
                continue
            }
            carry = .zero
            if notional < instrument.minNotional, !result.isEmpty {
                result[result.count - 1].quantity += slice
            } else {
                result.append((level: index + 1, quantity: slice))
            }
        }
        return result.filter { $0.quantity.isPositive }
    }

    // MARK: - Plan

    /// `ExitPlanning`: the plan from the integer leverage setting, without volatility widening.
    public func plan(symbol: Symbol, side: Side, entryPrice: Price, quantity: Quantity, leverage: Int,
                     instrument: Instrument) -> Result<ExitPlan, ExitPlanRejection> {
        plan(symbol: symbol, side: side, entryPrice: entryPrice, quantity: quantity, leverage: leverage,
             instrument: instrument, levelLeverage: nil, atrPercentile: nil)
    }

    /// The full plan. `levelLeverage` (default `Double(leverage)`) drives the level formulas and
    /// the ladder band; `atrPercentile` (0…1) drives volatility widening when it is enabled.
    /// Rejected when the stop/backstop cannot sit inside the liquidation price with the buffer.
    public func plan(symbol: Symbol, side: Side, entryPrice: Price, quantity: Quantity, leverage: Int,
                     instrument: Instrument, levelLeverage: Double?, atrPercentile: Double?) -> Result<ExitPlan, ExitPlanRejection> {
        guard entryPrice.isPositive, quantity.isPositive else {
            return .failure(ExitPlanRejection("\(symbol): entry price \(entryPrice) and quantity \(quantity) must be positive"))
        }
        guard leverage >= 1 else { return .failure(ExitPlanRejection("\(symbol): leverage \(leverage) must be at least 1")) }
        guard !instrument.marginBrackets.isEmpty else {
            return .failure(ExitPlanRejection("\(symbol): no maintenance-margin tiers, the liquidation price cannot be checked"))
        }
        let effective = levelLeverage ?? Double(leverage)
        guard effective.isFinite, effective >= 1 else {
            return .failure(ExitPlanRejection("\(symbol): level leverage \(effective) must be a finite value ≥ 1"))
        }
        let multiplier = settings.volatilityWidening.map { widening in atrPercentile.map { widening.multiplier(atrPercentile: $0) } ?? 1 } ?? 1
        let sign = side.sign

        // Prices and sizes come from data: every product is checked, and a plan whose numbers do
        // not fit (or whose entry notional is beyond what a ledger books) is refused with a reason.
        guard let notional = FastFixedPoint.checkedNotional(entryPrice, quantity, .nearest),
              notional.raw <= Portfolio.maximumMagnitude else {
            return .failure(ExitPlanRejection("\(symbol): arithmeticOverflow(notional = price \(entryPrice) × quantity \(quantity))"))
        }
        let moves = targetMoves(leverage: effective, volatilityMultiplier: multiplier)
        var targetPrices: [Price] = []
        for move in moves {
            guard let moved = FastFixedPoint.checkedMoved(entryPrice, by: Rate(raw: sign * move.raw), .nearest) else {
                return .failure(ExitPlanRejection("\(symbol): arithmeticOverflow(target \(move) from \(entryPrice))"))
            }
            targetPrices.append(instrument.roundTargetPrice(moved, for: side))
        }
        guard targetPrices.allSatisfy(\.isPositive) else {
            return .failure(ExitPlanRejection("\(symbol): a target \(targetPrices.map(\.description).joined(separator: "/")) is not a positive price "
                                              + "(target moves \(moves.map(\.description).joined(separator: "/")))"))
        }
        let stop = stopMove(leverage: effective, volatilityMultiplier: multiplier)
        guard let stopMoved = FastFixedPoint.checkedMoved(entryPrice, by: Rate(raw: -sign * stop.raw), .nearest),
              let backstopPrice = Self.checkedBackstop(forStop: instrument.roundStopPrice(stopMoved, protecting: side), side: side,
                                                       entryPrice: entryPrice, buffer: settings.backstopBuffer, instrument: instrument) else {
            return .failure(ExitPlanRejection("\(symbol): arithmeticOverflow(stop \(stop) from \(entryPrice))"))
        }
        let stopPrice = instrument.roundStopPrice(stopMoved, protecting: side)
        guard stopPrice.isPositive, backstopPrice.isPositive else {
            return .failure(ExitPlanRejection("\(symbol): stop \(stopPrice) / backstop \(backstopPrice) is not a positive price (stop move \(stop))"))
        }

        let bracket = instrument.bracket(forNotional: notional)
        guard leverage <= bracket.maxLeverage else {
            return .failure(ExitPlanRejection("\(symbol): leverage \(leverage)x exceeds the tier maximum \(bracket.maxLeverage)x for notional \(notional) USDT"))
        }
        let liquidation = Self.liquidationPrice(side: side, entryPrice: entryPrice, quantity: quantity, leverage: leverage, bracket: bracket)
        if liquidation.isPositive {
            let bufferPrice = entryPrice.notional(Quantity(raw: settings.liquidationBuffer.raw), .up)
            // The last acceptable trigger, `buffer` inside liquidation.
            let (sum, overflow) = side == .long ? liquidation.raw.addingReportingOverflow(bufferPrice.raw)
                                                : liquidation.raw.subtractingReportingOverflow(bufferPrice.raw)
            let limit = Price(raw: overflow ? .max : sum)
            let inside = side == .long ? backstopPrice >= limit : backstopPrice <= limit
            if !inside {
                let liquidationMove = Self.move(liquidation, from: entryPrice)
                let backstopMove = Self.move(backstopPrice, from: entryPrice)
                return .failure(ExitPlanRejection(
                    "\(symbol) \(side) \(leverage)x: stop \(stopPrice) (\(Self.pct(stop))) and backstop \(backstopPrice) (\(Self.pct(backstopMove))) "
                    + "are not inside the liquidation price \(liquidation) (\(Self.pct(liquidationMove)) from entry \(entryPrice)) "
                    + "with the \(Self.pct(settings.liquidationBuffer)) buffer (last acceptable trigger \(limit)); "
                    + "tier mmr \(bracket.maintenanceMarginRate), cum \(bracket.maintenanceAmount)"))
            }
        }

        let fractions = harvestFractions(leverage: effective)
        let sliced = Self.slices(quantity: quantity, fractions: fractions, targetPrices: targetPrices, instrument: instrument)
        let targets = sliced.map { slice in
            ExitTarget(price: targetPrices[slice.level - 1], quantity: slice.quantity, priceMove: moves[slice.level - 1], level: slice.level)
        }
        return .success(ExitPlan(symbol: symbol, side: side, entryPrice: entryPrice, quantity: quantity, leverage: leverage,
                                 stopPrice: stopPrice, stopMove: stop, targets: targets, backstopPrice: backstopPrice,
                                 liquidationPrice: liquidation))
    }

    // MARK: - Prices

    /// `backstop`, or nil when the trigger does not fit (a stop near the largest price).
    static func checkedBackstop(forStop stop: Price, side: Side, entryPrice: Price, buffer: Rate, instrument: Instrument) -> Price? {
        guard let offset = FastFixedPoint.checkedNotional(entryPrice, Quantity(raw: buffer.raw), .nearest) else { return nil }
        let (raw, overflow) = side == .long ? stop.raw.subtractingReportingOverflow(offset.raw) : stop.raw.addingReportingOverflow(offset.raw)
        guard !overflow, raw < Int64.max - instrument.tickSize.raw else { return nil }
        return instrument.roundStopPrice(Price(raw: raw), protecting: side)
    }

    /// `|price − entry| / entry`, for messages (saturates instead of trapping).
    static func move(_ price: Price, from entry: Price) -> Rate {
        guard entry.isPositive else { return .zero }
        let wide = (Int128(price.raw) - Int128(entry.raw)).magnitude * UInt128(FixedPoint.scale) / UInt128(entry.raw)
        return Rate(raw: Int64(min(wide, UInt128(Int64.max))))
    }

    /// The backstop trigger: `buffer` (a price move from entry) beyond `stop`, rounded to the tick
    /// toward the position (it never lets the loss run further than intended).
    public static func backstop(forStop stop: Price, side: Side, entryPrice: Price, buffer: Rate, instrument: Instrument) -> Price {
        let offset = Price(raw: entryPrice.notional(Quantity(raw: buffer.raw), .nearest).raw)
        let raw = side == .long ? stop - offset : stop + offset
        return instrument.roundStopPrice(raw, protecting: side)
    }

    /// Isolated-margin liquidation estimate (Binance, one-way mode, README §9):
    /// `LP = (WB + cum − side·size·EP) / (size·MMR − side·size)` with `WB = notional / L`
    /// (initial margin, rounded down). Rounded toward the entry (the conservative side).
    /// Zero when the position cannot be liquidated (a 1x long).
    public static func liquidationPrice(side: Side, entryPrice: Price, quantity: Quantity, leverage: Int, bracket: MarginBracket) -> Price {
        let notional = FastFixedPoint.checkedNotional(entryPrice, quantity, .nearest) ?? Money(raw: .max)
        let wallet = notional.divided(by: Int64(leverage), .down)
        let sign = Int128(side.sign)
        let numerator = Int128(wallet.raw) + Int128(bracket.maintenanceAmount.raw) - sign * Int128(notional.raw)
        let denominator = Int128(quantity.raw) * (Int128(bracket.maintenanceMarginRate.raw) - sign * Int128(FixedPoint.scale))
        let scaled = numerator * Int128(FixedPoint.scale) * Int128(FixedPoint.scale)
        // A zero denominator (a 100% maintenance rate) or a price beyond `Int64` saturates, as in
        // `LiquidationPrice.isolated`: liquidated at every price, or never.
        guard denominator != 0 else { return numerator <= 0 ? Price(raw: .max) : .zero }
        guard let price = FixedPoint.checkedDivide(scaled, by: denominator, rounding: side == .long ? .up : .down) else {
            return (scaled < 0) == (denominator < 0) ? Price(raw: .max) : .zero
        }
        return price > 0 ? Price(raw: price) : .zero
    }

    static func pct(_ rate: Rate) -> String {
        let hundredths = FixedPoint.divide(Int128(rate.raw) * 10_000, by: Int128(FixedPoint.scale), rounding: .nearest)
        return FixedPoint.format(hundredths * 1_000_000, fractionDigits: 2) + "%"
    }
}
