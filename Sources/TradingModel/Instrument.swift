/// A tradable USDT-M perpetual with the venue's filters (Binance `exchangeInfo`) and its
/// maintenance-margin tiers (Binance `leverageBracket`).
///
/// Rounding is explicit: prices to the tick (nearest, or toward the safe side for stops),
/// quantities floored to the step. `check` reports every filter an order would violate.
public struct Instrument: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var baseAsset: String
    public var quoteAsset: String
    /// `PRICE_FILTER.tickSize`.
    public var tickSize: Price
    /// `PRICE_FILTER.minPrice` / `maxPrice` (zero disables the bound).
    public var minPrice: Price
    public var maxPrice: Price
    /// `LOT_SIZE` (limit orders).
    public var stepSize: Quantity
    public var minQuantity: Quantity
    public var maxQuantity: Quantity
    /// `MARKET_LOT_SIZE` (market orders).
    public var marketStepSize: Quantity
    public var marketMinQuantity: Quantity
    public var marketMaxQuantity: Quantity
    /// `MIN_NOTIONAL.notional`: price × quantity must reach this (reduce-only orders are exempt).
    public var minNotional: Money
    /// `pricePrecision` / `quantityPrecision` as reported; formatting uses the tick and step.
    public var pricePrecision: Int
    public var quantityPrecision: Int
    /// Maintenance-margin tiers, ordered by notional floor.
    public var marginBrackets: [MarginBracket]

    public init(
        symbol: Symbol, baseAsset: String, quoteAsset: String = "USDT",
        tickSize: Price, minPrice: Price = .zero, maxPrice: Price = .zero,
        stepSize: Quantity, minQuantity: Quantity, maxQuantity: Quantity,
        marketStepSize: Quantity? = nil, marketMinQuantity: Quantity? = nil, marketMaxQuantity: Quantity? = nil,
        minNotional: Money, pricePrecision: Int? = nil, quantityPrecision: Int? = nil,
        marginBrackets: [MarginBracket]
    ) {
        precondition(tickSize.isPositive && stepSize.isPositive, "tick and step must be positive")
        self.symbol = symbol
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.tickSize = tickSize
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.stepSize = stepSize
        self.minQuantity = minQuantity
        self.maxQuantity = maxQuantity
        self.marketStepSize = marketStepSize ?? stepSize
        self.marketMinQuantity = marketMinQuantity ?? minQuantity
        self.marketMaxQuantity = marketMaxQuantity ?? maxQuantity
        self.minNotional = minNotional
        self.pricePrecision = pricePrecision ?? FixedPoint.decimalPlaces(ofStep: tickSize.raw)
        self.quantityPrecision = quantityPrecision ?? FixedPoint.decimalPlaces(ofStep: stepSize.raw)
        self.marginBrackets = marginBrackets.sorted { $0.notionalFloor < $1.notionalFloor }
    }

    /// Decimals needed to print a price exactly on the tick grid.
    public var priceDecimals: Int { FixedPoint.decimalPlaces(ofStep: tickSize.raw) }
    /// Decimals needed to print a quantity exactly on the step grid.
    public var quantityDecimals: Int { FixedPoint.decimalPlaces(ofStep: stepSize.raw) }

    /// Rounds a price to the tick grid.
    @inlinable
    public func roundPrice(_ price: Price, _ rounding: Rounding) -> Price {
        price.rounded(toMultipleOf: tickSize, rounding)
    }

    /// Rounds a stop price for a position of `side` toward the side that keeps the stop at or
    /// inside the intended loss: up for a long's stop (it sells sooner), down for a short's stop
    /// (it buys sooner).
    @inlinable
    public func roundStopPrice(_ price: Price, protecting side: Side) -> Price {
        roundPrice(price, side == .long ? .up : .down)
    }

    /// Rounds a take-profit price for a position of `side` toward the side that never promises
    /// more than intended: down for a long's target, up for a short's target.
    @inlinable
    public func roundTargetPrice(_ price: Price, for side: Side) -> Price {
        roundPrice(price, side == .long ? .down : .up)
    }

    /// Floors a quantity to the step size (a partial step is never sent).
    @inlinable
    public func floorQuantity(_ quantity: Quantity, market: Bool = true) -> Quantity {
        quantity.rounded(toMultipleOf: market ? marketStepSize : stepSize, .down)
    }

    /// Every filter an order with this price and quantity violates; empty when it is valid.
    /// `price` is the limit price, or the reference (mark) price for a market order.
    public func check(quantity: Quantity, price: Price, market: Bool, reduceOnly: Bool) -> [FilterViolation] {
        var violations: [FilterViolation] = []
        let step = market ? marketStepSize : stepSize
        let minimum = market ? marketMinQuantity : minQuantity
        let maximum = market ? marketMaxQuantity : maxQuantity
        if !quantity.isPositive { violations.append(.quantityNotPositive(quantity)) }
        if !quantity.isMultiple(of: step) { violations.append(.quantityNotOnStep(quantity, step: step)) }
        if quantity.isPositive && quantity < minimum { violations.append(.quantityBelowMinimum(quantity, minimum: minimum)) }
        if maximum.isPositive && quantity > maximum { violations.append(.quantityAboveMaximum(quantity, maximum: maximum)) }
        if !price.isPositive { violations.append(.priceNotPositive(price)) }
        if !market && price.isPositive {
            if !(price - minPrice).isMultiple(of: tickSize) { violations.append(.priceNotOnTick(price, tick: tickSize)) }
            if minPrice.isPositive && price < minPrice { violations.append(.priceBelowMinimum(price, minimum: minPrice)) }
            if maxPrice.isPositive && price > maxPrice { violations.append(.priceAboveMaximum(price, maximum: maxPrice)) }
        }
        if price.isPositive && quantity.isPositive {
            if let raw = FixedPoint.checkedMultiplyDivide(price.raw, quantity.raw, FixedPoint.scale, rounding: .down) {
                let notional = Money(raw: raw)
                if !reduceOnly && notional < minNotional { violations.append(.notionalBelowMinimum(notional, minimum: minNotional)) }
            } else {
                violations.append(.notionalOutOfRange(price: price, quantity: quantity))
            }
        }
        return violations
    }

    /// True when `check` would report no violation (the step and tick violations aside when
    /// `ignoringGrid`). Same conditions as `check`, without building the list: no allocation
    /// (the venue's per-order path; `check` gives the reasons when this is false).
    @inlinable
    public func passesFilters(quantity: Quantity, price: Price, market: Bool, reduceOnly: Bool, ignoringGrid: Bool) -> Bool {
        guard quantity.isPositive, price.isPositive else { return false }
        if !ignoringGrid && !quantity.isMultiple(of: market ? marketStepSize : stepSize) { return false }
        if quantity < (market ? marketMinQuantity : minQuantity) { return false }
        let maximum = market ? marketMaxQuantity : maxQuantity
        if maximum.isPositive && quantity > maximum { return false }
        if !market {
            if !ignoringGrid && !(price - minPrice).isMultiple(of: tickSize) { return false }
            if minPrice.isPositive && price < minPrice { return false }
            if maxPrice.isPositive && price > maxPrice { return false }
        }
        guard let notional = FixedPoint.checkedMultiplyDivide(price.raw, quantity.raw, FixedPoint.scale, rounding: .down) else { return false }
        if !reduceOnly && notional < minNotional.raw { return false }
        return true
    }

    /// The maintenance-margin tier for a position notional (the last tier beyond every cap).
    public func bracket(forNotional notional: Money) -> MarginBracket {
        precondition(!marginBrackets.isEmpty, "instrument \(symbol) has no margin brackets")
        for bracket in marginBrackets where notional < bracket.notionalCap {
            return bracket
        }
        return marginBrackets[marginBrackets.count - 1]
    }

    /// The highest leverage the tiers allow for a position notional.
    public func maxLeverage(forNotional notional: Money) -> Int { bracket(forNotional: notional).maxLeverage }
}

/// One maintenance-margin tier: notional in `[notionalFloor, notionalCap)`.
public struct MarginBracket: Sendable, Hashable, Codable {
    public var notionalFloor: Money
    public var notionalCap: Money
    /// `maintMarginRatio`.
    public var maintenanceMarginRate: Rate
    /// `cum`: the maintenance amount that keeps tiered margin continuous.
    public var maintenanceAmount: Money
    /// `initialLeverage`: the highest leverage allowed in this tier.
    public var maxLeverage: Int

    public init(notionalFloor: Money, notionalCap: Money, maintenanceMarginRate: Rate, maintenanceAmount: Money, maxLeverage: Int) {
        self.notionalFloor = notionalFloor
        self.notionalCap = notionalCap
        self.maintenanceMarginRate = maintenanceMarginRate
        self.maintenanceAmount = maintenanceAmount
        self.maxLeverage = maxLeverage
    }

    /// `notional × maintMarginRatio − cum`.
    @inlinable
    public func maintenanceMargin(notional: Money) -> Money {
        notional.times(maintenanceMarginRate, .up) - maintenanceAmount
    }
}

/// A venue filter an order violates, with the values behind it. Mirrors Binance's reasons
/// (`-1111`, `-4014`, `-4023`, `-4164`, …).
public enum FilterViolation: Sendable, Hashable, CustomStringConvertible {
    case quantityNotPositive(Quantity)
    case quantityNotOnStep(Quantity, step: Quantity)
    case quantityBelowMinimum(Quantity, minimum: Quantity)
    case quantityAboveMaximum(Quantity, maximum: Quantity)
    case priceNotPositive(Price)
    case priceNotOnTick(Price, tick: Price)
    case priceBelowMinimum(Price, minimum: Price)
    case priceAboveMaximum(Price, maximum: Price)
    case notionalBelowMinimum(Money, minimum: Money)
    /// `price × quantity` does not fit 64-bit fixed point: no real order is worth that much.
    case notionalOutOfRange(price: Price, quantity: Quantity)

    public var description: String {
        switch self {
        case .quantityNotPositive(let q): "quantity \(q) is not positive"
        case .quantityNotOnStep(let q, let step): "quantity \(q) is not a multiple of the step size \(step)"
        case .quantityBelowMinimum(let q, let min): "quantity \(q) is below the minimum quantity \(min)"
        case .quantityAboveMaximum(let q, let max): "quantity \(q) is above the maximum quantity \(max)"
        case .priceNotPositive(let p): "price \(p) is not positive"
        case .priceNotOnTick(let p, let tick): "price \(p) is not a multiple of the tick size \(tick)"
        case .priceBelowMinimum(let p, let min): "price \(p) is below the minimum price \(min)"
        case .priceAboveMaximum(let p, let max): "price \(p) is above the maximum price \(max)"
        case .notionalBelowMinimum(let n, let min): "notional \(n) USDT is below the minimum notional \(min) USDT"
        case .notionalOutOfRange(let p, let q): "notional of price \(p) × quantity \(q) is out of range"
        }
    }
}
