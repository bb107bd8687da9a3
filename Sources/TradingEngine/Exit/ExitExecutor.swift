import TradingModel

/// The tick-driven owner of one position's exits: a value-type state machine the kernel (live,
/// paper or backtest) drives with every price event, execution report, timer tick and manual
/// request of the position.
///
/// - The decision is made on the price event that crosses a level: the stop → one reduce-only
///   MARKET close of the remaining quantity; a target → a reduce-only MARKET close of its slice.
/// - An exchange-side close-position STOP_MARKET (the backstop) rests at `stop ± buffer` from the
///   start; when the stop moves the new backstop is placed first and the old one cancelled only
///   once the new one is accepted. A backstop that cannot be placed → market close + CRITICAL.
/// - Rejected closes are retried on timer ticks; after `closeRetry.maxAttempts` a CRITICAL alert
///   is raised and retries continue (never given up silently).
/// - `.saveState` is returned on every persisted change. The time of the last price event is
///   updated in memory on every event (see `status`) but, to keep the hot path free of I/O and
///   allocation, a price event that changes nothing else returns `[]`.
///
/// Hot path: a price event that crosses nothing does a few integer comparisons and returns `[]`
/// without allocating (see `ExitExecutorBenchmark`).
public struct ExitExecutor: PositionExitOwner, Sendable {
    /// Name recorded in the store and shown by `qt status`.
    public static let name = "tick-exit-executor"
    public var executorName: String { Self.name }

    public internal(set) var state: ExitExecutorState
    public let settings: ExitSettings
    public let instrument: Instrument

    /// Creates the executor when the entry has filled. `position` is the venue's (or simulated
    /// exchange's) position after the entry fill; when its quantity differs from the plan's the
    /// slices are re-planned in proportion. Call `start(at:)` (or send any event) to place the
    /// backstop. `orderIDs` supplies deterministic client order ids.
    public init(plan: ExitPlan, position: Position, instrument: Instrument, settings: ExitSettings,
                positionKey: String, orderIDs: ClientOrderIDGenerator) {
        precondition(plan.symbol == position.symbol && plan.side == position.side, "plan and position disagree on symbol or side")
        precondition(!plan.targets.isEmpty, "an exit plan has at least one target")
        let slices = plan.targets.enumerated().map { index, target in
            ExitExecutorState.Slice(level: target.level == 0 ? index + 1 : target.level, price: target.price, quantity: target.quantity, hit: false)
        }
        state = ExitExecutorState(
            positionKey: positionKey, symbol: plan.symbol, side: plan.side, entryPrice: position.entryPrice, leverage: position.leverage,
            openQuantity: plan.quantity, stopPrice: plan.stopPrice, stopReason: .stopLoss, backstopPrice: plan.backstopPrice,
            slices: slices, nextSliceIndex: 0, phase: .awaitingStart, closeReason: nil, pendingCloses: [],
            restingBackstop: nil, pendingBackstop: nil, backstopAttempts: 0, backstopsToCancel: [], stopMoves: [],
            bestPrice: nil, orderIDRunTag: orderIDs.runTag, orderIDSequence: orderIDs.sequence,
            lastPriceEventAt: nil, lastEventAt: nil, metrics: ExitTradeMetrics(initialQuantity: position.quantity))
        self.settings = settings
        self.instrument = instrument
        if position.quantity != plan.quantity { replanSlices(newQuantity: position.quantity) }
        state.openQuantity = position.quantity
    }

    /// Restores an executor from its saved snapshot (restart).
    public init(restoring snapshot: ExitStateSnapshot, instrument: Instrument, settings: ExitSettings) throws(ExitStateDecodingError) {
        guard snapshot.executor == Self.name else {
            throw ExitStateDecodingError(positionKey: snapshot.positionKey, message: "snapshot belongs to executor \(snapshot.executor), not \(Self.name)")
        }
        state = try ExitStateCodec.decode(snapshot.stateJSON, positionKey: snapshot.positionKey)
        self.settings = settings
        self.instrument = instrument
    }

    /// Places the exchange backstop. Idempotent: only the first call acts.
    public mutating func start(at time: Timestamp) -> [ExitAction] {
        var actions: [ExitAction] = []
        start(at: time, into: &actions)
        return actions
    }

    /// `start(at:)`, appending its actions to `actions`.
    public mutating func start(at time: Timestamp, into actions: inout [ExitAction]) {
        guard state.phase == .awaitingStart else { return }
        state.phase = .active
        state.lastEventAt = time
        placeBackstop(trigger: state.backstopPrice, time: time, into: &actions)
        actions.append(.saveState(snapshot))
    }

    public mutating func on(_ event: ExitEvent) -> [ExitAction] {
        var actions: [ExitAction] = []
        on(event, into: &actions)
        return actions
    }

    /// Appends the actions for `event` to `actions` (the kernel's reused buffer): a price event
    /// that crosses nothing appends nothing and allocates nothing.
    public mutating func on(_ event: ExitEvent, into actions: inout [ExitAction]) {
        if state.phase == .awaitingStart { start(at: event.time, into: &actions) }
        switch event {
        case .price(let price):
            onPrice(price, into: &actions)
        case .execution(let execution):
            state.lastEventAt = execution.time
            onExecution(execution, into: &actions)
        case .timer(let time):
            state.lastEventAt = time
            onTimer(time, into: &actions)
        case .manualClose(let time):
            state.lastEventAt = time
            guard state.phase == .active else { return }
            closeRemaining(reason: .manual, crossedAt: time, now: time, into: &actions)
            actions.append(.saveState(snapshot))
        }
    }

    // MARK: - Price (hot path)

    private mutating func onPrice(_ event: PriceEvent, into actions: inout [ExitAction]) {
        guard settings.priceSource.drives(event.source) || event.source == .barPath, event.symbol == state.symbol else { return }
        state.lastPriceEventAt = event.eventTime
        state.lastEventAt = event.receiveTime
        guard state.phase == .active else { return }
        let price = event.price
        if state.crossesStop(price) {
            state.metrics.stopHits += 1
            closeRemaining(reason: state.stopReason, crossedAt: event.eventTime, now: event.receiveTime, into: &actions)
            actions.append(.saveState(snapshot))
            return
        }
        let next = state.nextSliceIndex
        if next < state.slices.count && state.reaches(price, target: state.slices[next].price) {
            sendCrossedTargets(price: price, crossedAt: event.eventTime, now: event.receiveTime, into: &actions)
            actions.append(.saveState(snapshot))
            return
        }
        if settings.trailingStopDistance != nil, next > 0, next == state.slices.count - 1 {
            trail(price: price, time: event.receiveTime, into: &actions)
        }
    }

    /// Sends one reduce-only market close per target crossed by `price` (a gap can cross several).
    private mutating func sendCrossedTargets(price: Price, crossedAt: Timestamp, now: Timestamp, into actions: inout [ExitAction]) {
        while state.nextSliceIndex < state.slices.count, state.reaches(price, target: state.slices[state.nextSliceIndex].price) {
            let slice = state.slices[state.nextSliceIndex]
            state.nextSliceIndex += 1
            let isLast = state.nextSliceIndex == state.slices.count
            let free = state.unallocatedQuantity
            // The last slice takes whatever is left (absorbs any step remainder).
            let quantity = isLast ? free : min(slice.quantity, free)
            guard quantity.isPositive else { continue }
            if isLast {
                state.phase = .closing
                state.closeReason = .takeProfit(level: slice.level)
            }
            sendClose(quantity: quantity, reason: .takeProfit(level: slice.level), level: slice.level,
                      crossedAt: crossedAt, now: now, purpose: .takeProfit, into: &actions)
        }
    }

    /// Trailing stop for the last slice: tightens the local stop as the best price improves.
    private mutating func trail(price: Price, time: Timestamp, into actions: inout [ExitAction]) {
        guard let distance = settings.trailingStopDistance else { return }
        let improved = state.bestPrice.map { state.side == .long ? price > $0 : price < $0 } ?? true
        guard improved else { return }
        state.bestPrice = price
        let sign = state.side.sign
        // A price near the largest value cannot trail further (a short's stop above it does not fit).
        guard let moved = FastFixedPoint.checkedMoved(price, by: Rate(raw: -sign * distance.raw), .nearest),
              moved.raw < Int64.max - instrument.tickSize.raw else { return }
        let candidate = instrument.roundStopPrice(moved, protecting: state.side)
        let tighter = state.side == .long ? candidate > state.stopPrice : candidate < state.stopPrice
        guard tighter else { return }
        state.stopMoves.append(.init(from: state.stopPrice, to: candidate, reason: .trailingStop, time: time))
        state.stopPrice = candidate
        state.stopReason = .trailingStop
        actions.append(.saveState(snapshot))
    }

    // MARK: - Views

    /// The state serialised for the store.
    public var snapshot: ExitStateSnapshot {
        ExitStateSnapshot(positionKey: state.positionKey, symbol: state.symbol, executor: Self.name,
                          stateJSON: ExitStateCodec.encode(state), lastPriceEventAt: state.lastPriceEventAt)
    }

    /// Per-position status for `qt status` and the watchdog.
    public var status: ExitStatus {
        let open = state.slices.filter { !$0.hit }.map {
            ExitTarget(price: $0.price, quantity: $0.quantity, priceMove: $0.price.relativeChange(from: state.entryPrice, .nearest).magnitude, level: $0.level)
        }
        return ExitStatus(positionKey: state.positionKey, symbol: state.symbol, executor: Self.name, side: state.side, phase: state.phase,
                          entryPrice: state.entryPrice, remainingQuantity: state.openQuantity, stopPrice: state.stopPrice,
                          stopReason: state.stopReason, restingBackstopPrice: state.restingBackstop?.triggerPrice, openTargets: open,
                          lastPriceEventAt: state.lastPriceEventAt, lastEventAt: state.lastEventAt)
    }

    /// Per-trade exit metrics so far.
    public var metrics: ExitTradeMetrics { state.metrics }
}

extension ExitEvent {
    /// The time an event happened (receive time for prices: when we could act on it).
    var time: Timestamp {
        switch self {
        case .price(let price): price.receiveTime
        case .execution(let execution): execution.time
        case .timer(let time), .manualClose(let time): time
        }
    }
}

extension ExecutionEvent {
    /// Venue time of the report.
    var time: Timestamp {
        switch self {
        case .accepted(_, _, _, let time), .rejected(_, _, _, let time), .canceled(_, _, let time), .triggered(_, _, let time),
             .positionChanged(_, _, let time), .liquidated(_, _, _, let time), .fundingPaid(_, _, _, let time):
            time
        case .filled(let fill):
            fill.time
        }
    }
}
