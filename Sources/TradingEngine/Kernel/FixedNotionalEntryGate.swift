import TradingModel

/// The entry gate of the reference benchmark strategy only: approves every signal with a fixed
/// notional (`quantity = notional / price`), a fixed leverage and a fixed stop/target plan.
/// It does no risk validation; configurations must name it explicitly (it is never a default).
/// Refuses (fail closed) when the price is not positive, the quantity rounds to zero, the
/// margin is not available, or a size or level does not fit 64-bit fixed point (`arithmeticOverflow`).
public struct FixedNotionalEntryGate: EntryGate, Sendable {
    public struct Settings: Sendable, Hashable {
        /// Entry notional in USDT (`1000`).
        public var notional: Money
        public var leverage: Int
        public var stopMove: Rate
        public var targetMove: Rate
        /// Floor the quantity to the market step; false keeps `notional / price` to 10⁻⁸ (reference mode).
        public var roundQuantityToStep: Bool

        public init(notional: Money, leverage: Int, stopMove: Rate, targetMove: Rate, roundQuantityToStep: Bool) {
            precondition(notional.isPositive && leverage >= 1, "notional must be positive and leverage at least 1")
            self.notional = notional
            self.leverage = leverage
            self.stopMove = stopMove
            self.targetMove = targetMove
            self.roundQuantityToStep = roundQuantityToStep
        }
    }

    public let settings: Settings

    public init(settings: Settings) { self.settings = settings }

    @inlinable public mutating func observe(_ event: MarketEvent) {}

    public mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] { [] }

    public mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        EntryEvaluation(decide(signal, context: context))
    }

    /// The decision alone (no report, no risk engine).
    public func decide(_ signal: Signal, context: EntryContext) -> EntryDecision {
        let price = context.price
        guard price.isPositive else { return .rejected(signal: signal, reasons: [.priceNotPositive(price)]) }
        // Every product below comes from data (the price): checked, and refused with a reason
        // when it does not fit, like a venue filter.
        guard var quantity = FastFixedPoint.checkedQuantity(settings.notional, at: price, .down) else {
            return overflow(signal, "quantity = notional \(settings.notional) / price \(price)")
        }
        if settings.roundQuantityToStep { quantity = context.instrument.floorQuantity(quantity) }
        guard quantity.isPositive else { return .rejected(signal: signal, reasons: [.quantityRoundsToZero(notional: settings.notional, price: price)]) }
        guard let notionalUp = FastFixedPoint.checkedNotional(price, quantity, .up),
              let notional = FastFixedPoint.checkedNotional(price, quantity, .nearest) else {
            return overflow(signal, "notional = price \(price) × quantity \(quantity)")
        }
        let margin = notionalUp.divided(by: Int64(settings.leverage), .up)
        guard margin <= context.availableMargin else {
            return .rejected(signal: signal, reasons: [.marginShortfall(required: margin, available: context.availableMargin)])
        }
        let side = signal.side
        guard let stop = FastFixedPoint.checkedMoved(price, by: Rate(raw: -side.sign * settings.stopMove.raw), .nearest),
              let target = FastFixedPoint.checkedMoved(price, by: Rate(raw: side.sign * settings.targetMove.raw), .nearest) else {
            return overflow(signal, "stop and target from price \(price)")
        }
        let bracket = context.instrument.bracket(forNotional: notional)
        let liquidation = LiquidationPrice.isolated(side: side, quantity: quantity, entryPrice: price, isolatedMargin: margin, bracket: bracket)
        let plan = ExitPlan(symbol: signal.symbol, side: side, entryPrice: price, quantity: quantity, leverage: settings.leverage,
                            stopPrice: stop, stopMove: settings.stopMove,
                            targets: [ExitTarget(price: target, quantity: quantity, priceMove: settings.targetMove)],
                            backstopPrice: stop, liquidationPrice: liquidation)
        return .approved(ApprovedEntry(signal: signal, quantity: quantity, leverage: settings.leverage, plan: plan))
    }

    private func overflow(_ signal: Signal, _ what: String) -> EntryDecision {
        .rejected(signal: signal, reasons: [.arithmeticOverflow(what)])
    }
}
