import TradingModel

/// The reference exit of the `ema-cross` benchmark: a fixed stop and a fixed target as price
/// moves from the actual entry price; the first level crossed closes the whole position with one
/// reduce-only market order. Stop is checked before target on the same price.
///
/// Not the production exit engine (that is `ExitExecutor`, with backstop and slices); it exists
/// so the benchmark strategy is exactly specified. With `armDelay` equal to the bar interval the
/// levels are checked from the bar after entry on (price events earlier than entry + delay are
/// ignored).
public struct FixedBracketExit: PositionExitOwner, Sendable {
    /// Stop and target distances, arming delay and whether levels are rounded to the tick.
    public struct Settings: Sendable, Hashable {
        /// Adverse price move that stops the position out (`0.012` = 1.2%).
        public var stopMove: Rate
        /// Favourable price move that takes profit (`0.0186` = 1.86%).
        public var targetMove: Rate
        public var armDelay: Duration
        /// Round levels to the tick toward the safe side; false keeps exact 10⁻⁸ levels (reference mode).
        public var roundToTick: Bool

        public init(stopMove: Rate, targetMove: Rate, armDelay: Duration, roundToTick: Bool) {
            precondition(stopMove.isPositive && targetMove.isPositive, "stop and target moves must be positive")
            self.stopMove = stopMove
            self.targetMove = targetMove
            self.armDelay = armDelay
            self.roundToTick = roundToTick
        }
    }

    enum Phase: Sendable, Hashable { case active, closing, done }

    public static let name = "fixed-bracket-exit"
    public var executorName: String { Self.name }

    public let symbol: Symbol
    public let side: Side
    public let key: PositionKey
    /// `key` as text (`<symbol>-<entry client order id>`), made on each call.
    public var positionKey: String { key.text }
    public private(set) var quantity: Quantity
    public let stopPrice: Price
    public let targetPrice: Price
    public let armedFrom: Timestamp
    var phase: Phase = .active
    var closeOrderID: ClientOrderID?
    var closeReason: ExitReason = .manual
    var orderIDs: ClientOrderIDGenerator

    public init(context: borrowing ExitOwnerContext, settings: Settings) {
        let position = context.position
        symbol = position.symbol
        side = position.side
        key = context.key
        quantity = position.quantity
        let stop = FastFixedPoint.moved(position.entryPrice, by: Rate(raw: -position.side.sign * settings.stopMove.raw), .nearest)
        let target = FastFixedPoint.moved(position.entryPrice, by: Rate(raw: position.side.sign * settings.targetMove.raw), .nearest)
        stopPrice = settings.roundToTick ? context.instrument.roundStopPrice(stop, protecting: side) : stop
        targetPrice = settings.roundToTick ? context.instrument.roundTargetPrice(target, for: side) : target
        armedFrom = position.openedAt.advanced(by: settings.armDelay)
        orderIDs = context.orderIDs
    }

    /// Only the stop and the target matter (arming is by time, not by price).
    public var reactsOnlyToWatchedLevels: Bool { true }

    public var watchedLevels: WatchedPriceLevels {
        phase == .active ? WatchedPriceLevels(stop: stopPrice, target: targetPrice) : WatchedPriceLevels()
    }

    public mutating func on(_ event: ExitEvent) -> [ExitAction] {
        var actions: [ExitAction] = []
        on(event, into: &actions)
        return actions
    }

    public mutating func on(_ event: ExitEvent, into actions: inout [ExitAction]) {
        switch event {
        case .price(let price):
            guard phase == .active, price.eventTime >= armedFrom else { return }
            let stopHit = side == .long ? price.price <= stopPrice : price.price >= stopPrice
            if stopHit { close(reason: .stopLoss, purpose: .stopLoss, into: &actions); return }
            let targetHit = side == .long ? price.price >= targetPrice : price.price <= targetPrice
            if targetHit { close(reason: .takeProfit, purpose: .takeProfit, into: &actions) }
        case .manualClose:
            guard phase == .active else { return }
            close(reason: .manual, purpose: .exit, into: &actions)
        case .timer:
            return
        case .execution(let execution):
            onExecution(execution, into: &actions)
        }
    }

    mutating func close(reason: ExitReason, purpose: OrderPurpose, into actions: inout [ExitAction]) {
        let id = orderIDs.next(purpose)
        phase = .closing
        closeOrderID = id
        closeReason = reason
        actions.append(.submit(OrderRequest(clientOrderID: id, symbol: symbol, side: side.exitOrderSide, type: .market,
                                            quantity: quantity, reduceOnly: true)))
    }

    /// The close did not execute: stay armed (the next price retries) and tell a person.
    mutating func closeFailed(time: Timestamp, into actions: inout [ExitAction]) {
        phase = .active
        closeOrderID = nil
        actions.append(.alert(Alert(severity: .critical, kind: "exit.close_failed",
                                    message: "close of \(key.text) failed; retrying on the next price", symbol: symbol, time: time)))
    }

    mutating func onExecution(_ event: ExecutionEvent, into actions: inout [ExitAction]) {
        switch event {
        case .filled(let fill) where fill.clientOrderID == closeOrderID:
            quantity -= fill.quantity
            actions.append(.sliceClosed(reason: closeReason, quantity: fill.quantity, price: fill.price, time: fill.time))
            if !quantity.isPositive {
                phase = .done
                actions.append(.finished(reason: closeReason, time: fill.time))
            }
        case .filled(let fill) where fill.side == side.entryOrderSide:
            quantity += fill.quantity
        case .rejected(let id, _, _, let time) where id == closeOrderID:
            closeFailed(time: time, into: &actions)
        case .canceled(let id, _, let time) where id == closeOrderID:
            closeFailed(time: time, into: &actions)
        case .liquidated(_, _, _, let time):
            phase = .done
            actions.append(.finished(reason: .liquidation, time: time))
        default:
            break
        }
    }
}
