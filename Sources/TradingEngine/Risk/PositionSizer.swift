import TradingModel

/// Sizes a position from risk: the loss at the stop equals `riskPerTrade` of equity.
///
/// `notional = equity × riskPerTrade / stopMove × sizeMultiplier`, then capped by the notional
/// headroom and by `marginBudget × leverageCap`; the quantity is floored to the market step and
/// capped at the instrument's maximum quantity. A size below the minimum notional (or minimum
/// quantity) is rejected; it is never rounded up into a bigger risk. Leverage is the smallest
/// whole number with `notional / leverage ≤ marginBudget`; nothing falls back to a default.
/// All money arithmetic is fixed point with the rounding named at each step.
public struct PositionSizer: Sendable, Hashable {
    public var settings: SizingSettings

    public init(settings: SizingSettings = SizingSettings()) { self.settings = settings }

    /// A notional larger than any real cap (used when a limit is switched off); far from overflow.
    public static let unlimitedNotional = Money(raw: Int64.max / 1024)

    /// Sizes an entry at `price` whose stop is `stopMove` away (`0.012` = 1.20%).
    /// - Parameters:
    ///   - sizeMultiplier: regime / correlation / risk-state reductions (1 = none).
    ///   - notionalHeadroom: the most notional the book still allows for this entry.
    public func size(price: Price, stopMove: Rate, equity: Money, availableMargin: Money, instrument: Instrument,
                     sizeMultiplier: Rate = Rate(units: 1), notionalHeadroom: Money) -> Result<PositionSize, RejectionReason>
    {
        guard price.isPositive else { return .failure(.checkUnavailable(.sizing, "entry price \(price) is not positive")) }
        guard stopMove.isPositive else { return .failure(.checkUnavailable(.sizing, "stop move \(stopMove) is not positive")) }
        guard equity.isPositive else { return .failure(.checkUnavailable(.sizing, "equity \(equity) USDT is not positive")) }
        guard sizeMultiplier.isPositive, sizeMultiplier <= Rate(units: 1) else {
            return .failure(.checkUnavailable(.sizing, "size multiplier \(sizeMultiplier) is outside (0, 1]"))
        }
        guard settings.maximumLeverage >= 1 else {
            return .failure(.checkUnavailable(.sizing, "maximum leverage \(settings.maximumLeverage) is below 1"))
        }
        let riskBudget = equity.times(settings.riskPerTrade, .down)
        // riskBudget / stopMove, clamped so that an absurdly tight stop cannot overflow (the caps bind anyway).
        let wide = Int128(riskBudget.raw) * Int128(FixedPoint.scale) / Int128(stopMove.raw)
        var notional = Money(raw: Int64(min(wide, Int128(Self.unlimitedNotional.raw))))
        if sizeMultiplier != Rate(units: 1) { notional = notional.times(sizeMultiplier, .down) }
        return capped(notional: notional, notionalBeforeCaps: notional, riskBudget: riskBudget, price: price, equity: equity,
                      availableMargin: availableMargin, instrument: instrument, notionalHeadroom: notionalHeadroom)
    }

    /// The largest position the caps allow at `price` (the notional headroom and the margin
    /// budget at the leverage cap), sized like `size`. Used to ask the exit planner for a first
    /// plan before the stop distance is known.
    public func largestSize(price: Price, equity: Money, availableMargin: Money, instrument: Instrument,
                            notionalHeadroom: Money) -> Result<PositionSize, RejectionReason>
    {
        guard price.isPositive else { return .failure(.checkUnavailable(.sizing, "entry price \(price) is not positive")) }
        guard equity.isPositive else { return .failure(.checkUnavailable(.sizing, "equity \(equity) USDT is not positive")) }
        guard settings.maximumLeverage >= 1 else {
            return .failure(.checkUnavailable(.sizing, "maximum leverage \(settings.maximumLeverage) is below 1"))
        }
        let notional = max(notionalHeadroom, .zero)
        return capped(notional: notional, notionalBeforeCaps: notional, riskBudget: equity.times(settings.riskPerTrade, .down),
                      price: price, equity: equity, availableMargin: availableMargin, instrument: instrument,
                      notionalHeadroom: notionalHeadroom)
    }

    private func capped(notional requested: Money, notionalBeforeCaps: Money, riskBudget: Money, price: Price, equity: Money,
                        availableMargin: Money, instrument: Instrument, notionalHeadroom: Money) -> Result<PositionSize, RejectionReason>
    {
        var notional = requested
        let marginBudget = min(equity.times(settings.marginBudgetShare, .down), availableMargin)
        guard marginBudget.isPositive else { return .failure(.insufficientMargin(available: availableMargin)) }

        var cappedBy: [SizingCap] = []
        if notional > notionalHeadroom {
            notional = max(notionalHeadroom, .zero)
            cappedBy.append(.notionalHeadroom(notional))
        }
        let leverageCap = min(settings.maximumLeverage, instrument.maxLeverage(forNotional: notional))
        guard leverageCap >= 1 else { return .failure(.leverageCap(1, cap: leverageCap)) }
        // Equity, prices and caps come from data: products are checked, and a size whose numbers
        // do not fit is refused (or, for a quantity beyond `Int64`, capped at the instrument's maximum).
        let (marginProduct, marginOverflow) = marginBudget.raw.multipliedReportingOverflow(by: Int64(leverageCap))
        let marginCap = Money(raw: marginOverflow ? Self.unlimitedNotional.raw : min(marginProduct, Self.unlimitedNotional.raw))
        if notional > marginCap {
            notional = marginCap
            cappedBy.append(.margin(marginCap, leverage: leverageCap))
        }
        let maximumQuantity = instrument.floorQuantity(instrument.marketMaxQuantity)
        var quantity: Quantity
        if let wide = FastFixedPoint.checkedQuantity(notional, at: price, .down) {
            quantity = instrument.floorQuantity(wide)
        } else if maximumQuantity.isPositive {
            quantity = maximumQuantity
        } else {
            return .failure(.checkUnavailable(.sizing, "arithmeticOverflow(quantity = notional \(notional) / price \(price))"))
        }
        if maximumQuantity.isPositive && quantity > maximumQuantity {
            quantity = maximumQuantity
            cappedBy.append(.maximumQuantity(maximumQuantity))
        }
        guard let notionalDown = FastFixedPoint.checkedNotional(price, quantity, .down),
              let finalNotional = FastFixedPoint.checkedNotional(price, quantity, .up),
              finalNotional.raw <= Portfolio.maximumMagnitude else {
            return .failure(.checkUnavailable(.sizing, "arithmeticOverflow(notional = price \(price) × quantity \(quantity))"))
        }
        guard quantity.isPositive, quantity >= instrument.marketMinQuantity, notionalDown >= instrument.minNotional else {
            return .failure(.belowMinNotional(notionalDown, minimum: instrument.minNotional))
        }
        let wideLeverage = (Int128(finalNotional.raw) + Int128(marginBudget.raw) - 1) / Int128(marginBudget.raw)
        let leverage = Int(max(1, wideLeverage))
        let finalCap = min(settings.maximumLeverage, instrument.maxLeverage(forNotional: finalNotional))
        guard leverage <= finalCap else { return .failure(.leverageCap(leverage, cap: finalCap)) }
        return .success(PositionSize(
            riskBudget: riskBudget, notionalBeforeCaps: notionalBeforeCaps, cappedBy: cappedBy, quantity: quantity,
            notional: finalNotional, leverage: leverage, marginBudget: marginBudget,
            margin: finalNotional.divided(by: Int64(leverage), .up)))
    }
}
