import TradingEngine
import TradingModel

/// Replays candles through the kernel and the simulated exchange, synchronously, in event-time
/// order. Generic over the kernel's strategy, entry gate and exit owner (specialised, no
/// existentials on the per-bar path).
///
/// Per bar of symbol `i`: the intrabar path (open, two extremes, close) is fed to the exchange
/// and then to the kernel as `.barPath` price points; between two path points every level the
/// exit owner watches (stop, target), every resting trigger/limit and the liquidation price
/// crossed is emitted as its own point at exactly that price, in traversal order. Then due
/// funding is settled, then the kernel sees the closed bar (gate, marks, equity, strategy), then
/// the gate's risk engine the equity.
/// Actions and venue events are pumped until quiet after each point, in FIFO order.
///
/// Quiet bars: when the venue has no order and no liquidation price inside the bar's range, no
/// signal waits, and the exit owner (if any) declared `reactsOnlyToWatchedLevels` with the range
/// strictly between its stop and target, no point of the path can cause an action, so the path
/// is skipped (the close still reaches the kernel). Owners that react to every price (trailing
/// stops) always get the full path.
public struct BacktestEngine<Strategy: TradingStrategy, Gate: EntryGate, Exit: PositionExitOwner> {
    public var kernel: TradingKernel<Strategy, Gate, Exit>
    public var exchange: SimulatedExchange
    public let path: IntrabarPath
    public var funding: [FundingCursor]
    public var output: BacktestOutput
    /// Skip the intrabar path of a bar in which nothing can happen (see `onCandle`). Results are
    /// identical either way; false routes every path point (for measuring the full path cost).
    public var skipsQuietBars = true
    /// Send `.timer` to exit owners (and the observer) at every bar close, so retries and
    /// deadlines run. Off for the reference bracket, which has none.
    public var sendsTimers = false
    /// Watchdog, risk supervision and recording beside the kernel (nil: none).
    public var observer: (any BacktestObserver)?
    @usableFromInline var actions: [KernelAction] = []
    @usableFromInline var events: [ExecutionEvent] = []
    @usableFromInline var lastClose: [Price]
    @usableFromInline var lastTime = Timestamp(milliseconds: 0)
    @usableFromInline var cachedInterval = Duration.zero
    @usableFromInline var cachedSpan: Int64 = 0
    /// True once `output.fault` is set: the replay ignores further candles.
    @usableFromInline var stopped = false

    public init(kernel: TradingKernel<Strategy, Gate, Exit>, exchange: SimulatedExchange, path: IntrabarPath, funding: [FundingCursor]) {
        precondition(kernel.instruments == exchange.instruments, "kernel and exchange must trade the same instruments")
        precondition(funding.count == kernel.instruments.count, "one funding cursor per instrument")
        self.kernel = kernel
        self.exchange = exchange
        self.path = path
        self.funding = funding
        self.output = BacktestOutput()
        self.lastClose = Array(repeating: .zero, count: kernel.instruments.count)
        actions.reserveCapacity(64)
        events.reserveCapacity(64)
    }

    /// One closed candle of symbol `index`. Candles of all symbols must arrive in time order.
    /// Once a ledger could not book something (`output.fault`), further candles are ignored.
    @inlinable
    public mutating func onCandle(_ candle: Candle, interval: Duration, symbolIndex index: Int) {
        guard !stopped else { return }
        if interval != cachedInterval {
            cachedInterval = interval
            cachedSpan = Timestamp(milliseconds: 0).advanced(by: interval).milliseconds
            precondition(cachedSpan > 0, "bar interval must be positive")
        }
        let span = cachedSpan
        let open = candle.openTime.milliseconds
        let sideSign = kernel.portfolio.sideSign[index]
        if skipsQuietBars && exchange.isQuiet(symbolIndex: index, low: candle.low, high: candle.high)
            && kernel.isQuiet(symbolIndex: index, low: candle.low, high: candle.high, sideSign: sideSign) {
            // Quiet bar: no order, no liquidation price, no pending signal and no owner level
            // (for an owner that reacts only to its levels) lies inside [low, high], so no path
            // point could cause an action; only the venue's price moves to the close.
            exchange.skip(symbolIndex: index, to: candle.close, time: Timestamp(milliseconds: open + span - 1))
            output.quietBars += 1
        } else {
            let lowFirst = path.lowFirst(candle, positionSide: kernel.portfolio.side(index))
            let first = lowFirst ? candle.low : candle.high
            let second = lowFirst ? candle.high : candle.low
            point(candle.open, time: candle.openTime, symbolIndex: index)
            segment(from: candle.open, to: first, time: Timestamp(milliseconds: open + span / 3), symbolIndex: index)
            segment(from: first, to: second, time: Timestamp(milliseconds: open + 2 * span / 3), symbolIndex: index)
            segment(from: second, to: candle.close, time: Timestamp(milliseconds: open + span - 1), symbolIndex: index)
        }
        let closeTime = Timestamp(milliseconds: open + span)
        while let settlement = funding[index].due(at: closeTime) {
            exchange.settleFunding(symbolIndex: index, rate: settlement.rate, markPrice: settlement.markPrice ?? candle.close,
                                   time: settlement.fundingTime, into: &events)
            pump()
        }
        if sendsTimers { timer(closeTime) }
        kernel.onBar(candle, interval: interval, closeTime: closeTime, symbolIndex: index, into: &actions)
        if !actions.isEmpty { pump() }
        observer?.barClosed(candle, interval: interval, closeTime: closeTime, symbolIndex: index)
        // The gate's risk engine learns the equity at every bar close (a daily-loss halt).
        kernel.onRisk(.equity(kernel.portfolio.equity, time: closeTime), into: &actions)
        if !actions.isEmpty { pump() }
        lastClose[index] = candle.close
        lastTime = closeTime
        output.bars += 1
        if kernel.portfolio.hasFault || exchange.ledger.hasFault { stop(at: candle, symbolIndex: index) }
    }

    /// Records why the replay stops at this bar (not on the hot path).
    @usableFromInline
    mutating func stop(at candle: Candle, symbolIndex index: Int) {
        stopped = true
        let symbol = kernel.instruments[index].symbol
        if let fault = exchange.ledger.fault {
            output.fault = BacktestFault(symbol: symbol, barOpenTime: candle.openTime, ledger: "the venue's ledger", fault: fault)
        }
        if let fault = kernel.portfolio.fault {
            output.fault = BacktestFault(symbol: symbol, barOpenTime: candle.openTime, ledger: "our ledger", fault: fault)
        }
    }

    /// Walks a path segment, emitting a point at every watched level strictly inside it.
    @inlinable
    mutating func segment(from start: Price, to end: Price, time: Timestamp, symbolIndex index: Int) {
        guard start != end else { return }
        var current = start
        let rising = end > start
        while true {
            var next: Price?
            if kernel.hasOwner(at: index) {
                let levels = kernel.ownerLevels(at: index)
                if let stop = levels.stop, rising ? (stop > current && stop < end) : (stop < current && stop > end) { next = stop }
                if let target = levels.target, rising ? (target > current && target < end) : (target < current && target > end) {
                    if let found = next { next = rising ? min(found, target) : max(found, target) } else { next = target }
                }
            }
            if exchange.ledger.sideSign[index] != 0 || !exchange.openOrders.isEmpty,
               let level = exchange.nearestLevel(symbolIndex: index, from: current, to: end) {
                if let found = next { next = rising ? min(found, level) : max(found, level) } else { next = level }
            }
            guard let level = next else { break }
            point(level, time: time, symbolIndex: index)
            current = level
        }
        point(end, time: time, symbolIndex: index)
    }

    /// One price point: venue first (resting orders, liquidation), then the kernel (pending
    /// signal, exit owner), then orders accepted at this point act at this price.
    @inlinable
    mutating func point(_ price: Price, time: Timestamp, symbolIndex index: Int) {
        exchange.onPrice(symbolIndex: index, price: price, time: time, into: &events)
        if !events.isEmpty { pump() }
        kernel.onPrice(price, time: time, source: .barPath, symbolIndex: index, into: &actions)
        if !actions.isEmpty { pump() }
        if let observer {
            let event = PriceEvent(symbol: kernel.instruments[index].symbol, price: price, source: .barPath, eventTime: time, receiveTime: time)
            run(observer.price(event, symbolIndex: index, status: kernel.exitStatus(symbolIndex: index)))
            pump()
        }
        var rounds = 0
        while exchange.needsReprocess {
            rounds += 1
            precondition(rounds < 1000, "order loop did not settle at one price point")
            exchange.reprocess(symbolIndex: index, into: &events)
            pump()
        }
    }

    /// Performs actions and routes venue events until both queues are empty (FIFO).
    @usableFromInline
    mutating func pump() {
        var actionCursor = 0
        var eventCursor = 0
        while actionCursor < actions.count || eventCursor < events.count {
            while eventCursor < events.count {
                let event = events[eventCursor]
                eventCursor += 1
                output.record(event)
                observer?.venue(event)
                kernel.onExecution(event, symbolIndex: symbolIndex(of: event.symbol), into: &actions)
            }
            while actionCursor < actions.count {
                let action = actions[actionCursor]
                actionCursor += 1
                perform(action)
                if observer != nil { notify(action) }
            }
        }
        actions.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
    }

    mutating func perform(_ action: KernelAction) {
        switch action {
        case .setLeverage(let value, let symbol):
            do throws(OrderRejection) {
                try exchange.setLeverage(value, symbolIndex: symbolIndex(of: symbol))
            } catch {
                output.alerts.append(Alert(severity: .critical, kind: "venue.leverage_rejected", message: error.description,
                                           symbol: symbol, time: exchange.now))
            }
        case .submit(let order):
            exchange.submit(order, symbolIndex: symbolIndex(of: order.symbol), time: exchange.now, into: &events)
        case .cancel(let id, _):
            _ = exchange.cancel(id, time: exchange.now, into: &events)
        case .alert(let alert):
            output.alerts.append(alert)
        case .saveExitState:
            output.exitStateSaves += 1
        case .decision(let decision, _, let time):
            output.decisions.append(BacktestDecision(decision: decision, time: time))
        case .risk(.flattenAll(let reason, let time)):
            kernel.closeAll(reason: reason, time: time, into: &actions)
        case .risk(.record), .risk(.alert):
            break   // kept by the observer (the store's risk events, the runtime's alerts)
        case .tradeClosed(let trade):
            output.trades.append(trade)
        }
    }

    func symbolIndex(of symbol: Symbol) -> Int {
        guard let index = kernel.instruments.firstIndex(where: { $0.symbol == symbol }) else {
            preconditionFailure("event for unknown symbol \(symbol)")
        }
        return index
    }

    /// Ends the replay: entries in flight are cancelled and open positions closed by their owners
    /// at the last close (reason `end_of_data`). Returns everything the run produced.
    public mutating func finish() -> BacktestOutput {
        guard !stopped else { return output }
        kernel.finish(time: lastTime, into: &actions)
        pump()
        for index in kernel.instruments.indices where lastClose[index].isPositive {
            point(lastClose[index], time: lastTime, symbolIndex: index)
        }
        kernel.equityCurve.record(time: lastTime, equity: kernel.portfolio.equity, walletBalance: kernel.portfolio.walletBalance)
        output.finalEquity = kernel.portfolio.equity
        output.walletBalance = kernel.portfolio.walletBalance
        output.equityCurve = kernel.equityCurve
        return output
    }
}
