import TradingModel

/// A rejected signal simulated under its exit plan: which slices closed where, and its net result.
public struct CounterfactualTrade: Sendable, Hashable {
    /// One closed part of the simulated position.
    public struct Slice: Sendable, Hashable {
        public var quantity: Quantity
        public var price: Price
        public var reason: ExitReason
        public var time: Timestamp
    }

    public var signal: Signal
    /// `RejectionReason.kind` of every reason the signal was rejected for.
    public var reasonKinds: [String]
    public var plan: ExitPlan
    /// When the simulation starts (the decision time); earlier prices are ignored.
    public var openedAt: Timestamp
    public var remainingQuantity: Quantity
    /// Index of the next target not yet reached.
    public var nextTarget = 0
    public var slices: [Slice] = []

    public init(signal: Signal, reasonKinds: [String], plan: ExitPlan, openedAt: Timestamp) {
        self.signal = signal
        self.reasonKinds = reasonKinds
        self.plan = plan
        self.openedAt = openedAt
        self.remainingQuantity = plan.quantity
    }

    public var isClosed: Bool { !remainingQuantity.isPositive }

    /// Gross PnL of the closed slices: `Σ sign × quantity × (exit − entry)`.
    public var grossPnL: Money {
        // A statistic on prices from data: summed wide and saturated, never a trap.
        Money(raw: FixedPoint.saturating(slices.reduce(Int128(0)) { total, slice in
            total + Int128(FixedPoint.saturatingMultiplyDivide(plan.side.sign * (slice.price.raw - plan.entryPrice.raw), slice.quantity.raw,
                                                               FixedPoint.scale, rounding: .nearest))
        }))
    }

    /// Fees at `feeRate` on the entry notional and every exit notional (rounded up).
    public func fees(feeRate: Rate) -> Money {
        func fee(_ price: Price, _ quantity: Quantity) -> Int128 {
            let notional = FixedPoint.saturatingMultiplyDivide(price.raw, quantity.raw, FixedPoint.scale, rounding: .up)
            return Int128(FixedPoint.saturatingMultiplyDivide(notional, feeRate.raw, FixedPoint.scale, rounding: .up))
        }
        let total = slices.reduce(fee(plan.entryPrice, plan.quantity)) { $0 + fee($1.price, $1.quantity) }
        return Money(raw: FixedPoint.saturating(total))
    }

    public func netPnL(feeRate: Rate) -> Money { grossPnL.addingSaturated(-fees(feeRate: feeRate)) }

    /// Net PnL over the entry notional (`-0.0008` = −0.08%), a statistic for reports.
    public func netReturnOnNotional(feeRate: Rate) -> Double {
        let notional = Money(raw: FixedPoint.saturatingMultiplyDivide(plan.entryPrice.raw, plan.quantity.raw, FixedPoint.scale, rounding: .nearest))
        guard notional.isPositive else { return 0 }
        return netPnL(feeRate: feeRate).doubleValue / notional.doubleValue
    }

    /// Applies a traded / mark price: stop first, then targets in order. Fills at `price`
    /// (a market close when the level is crossed).
    mutating func apply(price: Price, time: Timestamp) {
        guard !isClosed, time > openedAt else { return }
        let long = plan.side == .long
        if long ? price <= plan.stopPrice : price >= plan.stopPrice {
            close(remainingQuantity, at: price, reason: .stopLoss, time: time)
            return
        }
        while nextTarget < plan.targets.count, !isClosed {
            let target = plan.targets[nextTarget]
            guard long ? price >= target.price : price <= target.price else { break }
            close(min(target.quantity, remainingQuantity), at: price, reason: targetReason(nextTarget), time: time)
            nextTarget += 1
        }
    }

    /// Applies a closed bar, stop first (pessimistic when both are inside the bar). The stop
    /// fills at the stop price, or at the open when the bar gapped beyond it; targets fill at
    /// their price.
    mutating func apply(candle: Candle, closeTime: Timestamp) {
        guard !isClosed, candle.openTime >= openedAt else { return }
        let long = plan.side == .long
        if long ? candle.low <= plan.stopPrice : candle.high >= plan.stopPrice {
            let fill = long ? min(plan.stopPrice, candle.open) : max(plan.stopPrice, candle.open)
            close(remainingQuantity, at: fill, reason: .stopLoss, time: closeTime)
            return
        }
        while nextTarget < plan.targets.count, !isClosed {
            let target = plan.targets[nextTarget]
            guard long ? candle.high >= target.price : candle.low <= target.price else { break }
            close(min(target.quantity, remainingQuantity), at: target.price, reason: targetReason(nextTarget), time: closeTime)
            nextTarget += 1
        }
    }

    mutating func close(_ quantity: Quantity, at price: Price, reason: ExitReason, time: Timestamp) {
        guard quantity.isPositive else { return }
        slices.append(Slice(quantity: quantity, price: price, reason: reason, time: time))
        remainingQuantity -= quantity
    }

    private func targetReason(_ index: Int) -> ExitReason {
        switch index {
        case 0: .takeProfit1
        case 1: .takeProfit2
        case 2: .takeProfit3
        default: .takeProfit
        }
    }
}
