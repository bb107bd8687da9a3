import TradingModel

/// The trading kernel shared by backtest, paper and live: strategy → entry gate → orders →
/// (venue) → fills → portfolio, with every position protected by its exit owner.
///
/// A value-type state machine. Inputs are method calls (`onBar`, `onPrice`, `onExecution`,
/// `finish`); outputs are `KernelAction`s appended to a caller-owned buffer (no allocation when
/// nothing happens). It never talks to a venue: it emits `.submit`/`.cancel` and consumes the
/// venue's `ExecutionEvent`s. Time is the events' time; nothing reads a clock.
///
/// Generic over the strategy, the entry gate and the exit owner so the hot path is specialised
/// (no existentials). Symbols are addressed by index into `instruments`.
///
/// Rules it enforces (fail closed):
/// - A signal is acted on at the symbol's next price event; a same-side signal while positioned
///   or while an entry is in flight is ignored; an opposite one asks the owner to close
///   (reason `.reversal`) and enters once flat.
/// - Only the exit owner sends reduce-only orders; a non-reduce-only order from an owner is
///   refused with a critical alert. A position without an owner raises a critical alert.
public struct TradingKernel<Strategy: TradingStrategy, Gate: EntryGate, Exit: PositionExitOwner> {
    /// Makes the exit owner of a position when its entry fills.
    public typealias ExitOwnerFactory = (ExitOwnerContext) -> Exit

    /// The instruments traded, by symbol index (changed only through `replaceInstrument`).
    public internal(set) var instruments: [Instrument]
    public var symbols: [KernelSymbolState<Strategy, Exit>]
    public var gate: Gate
    public var portfolio: Portfolio
    public var equityCurve: EquityCurve
    @usableFromInline var orderIDs: ClientOrderIDGenerator
    public let makeExitOwner: ExitOwnerFactory
    public let runTag: String
    @usableFromInline var positionCounter: Int64 = 0
    // Hot per-symbol caches, written only by the kernel (drivers read them through the
    // `hasOwner(at:)`, `hasPendingSignal(at:)`, `ownerLevels(at:)`, `pendingEntryID(at:)` views):
    // flags and the owner's current levels, refreshed after every owner call, so per-bar code
    // never copies a symbol's whole state.
    @usableFromInline var hasOwner: [Bool]
    @usableFromInline var hasPendingSignal: [Bool]
    @usableFromInline var ownerLevels: [WatchedPriceLevels]
    /// Whether each symbol's owner declared `reactsOnlyToWatchedLevels` (cached at creation).
    @usableFromInline var ownerLevelsOnly: [Bool]
    /// Client id of each symbol's entry order in flight (a hot copy of `pendingEntry?.orderID`).
    @usableFromInline var pendingEntryID: [ClientOrderID?]
    /// True once the portfolio's `fault` was reported (one critical alert).
    @usableFromInline var reportedFault = false
    /// The exit owner's actions of the current call (emptied, capacity kept, before each call).
    @usableFromInline var ownerActionBuffer: [ExitAction] = []
    /// The alerts the strategy raised on the current bar (emptied, capacity kept, after each bar).
    @usableFromInline var strategyAlertBuffer: [Alert] = []

    /// - Parameters:
    ///   - runTag: up to 5 characters; entry ids are `qt-<runTag>-<n>-en`, owner ids use
    ///     `<runTag>p<position number>`.
    public init(instruments: [Instrument], strategies: [Strategy], gate: Gate, initialBalance: Money,
                equitySampleInterval: Duration, runTag: String, makeExitOwner: @escaping ExitOwnerFactory) {
        precondition(instruments.count == strategies.count && !instruments.isEmpty, "one strategy per instrument")
        precondition(runTag.utf8.count <= 5, "kernel run tag must be at most 5 characters")
        self.instruments = instruments
        self.symbols = strategies.map { KernelSymbolState(strategy: $0) }
        self.gate = gate
        self.portfolio = Portfolio(initialBalance: initialBalance, instruments: instruments)
        self.equityCurve = EquityCurve(initialEquity: initialBalance, sampleInterval: equitySampleInterval)
        self.orderIDs = ClientOrderIDGenerator(runTag: runTag)
        self.makeExitOwner = makeExitOwner
        self.runTag = runTag
        self.hasOwner = Array(repeating: false, count: instruments.count)
        self.hasPendingSignal = Array(repeating: false, count: instruments.count)
        self.ownerLevels = Array(repeating: WatchedPriceLevels(), count: instruments.count)
        self.pendingEntryID = Array(repeating: nil, count: instruments.count)
        self.ownerLevelsOnly = Array(repeating: false, count: instruments.count)
    }

    /// A bar of symbol `index` closed at `closeTime` (`openTime + interval`, passed in so the hot
    /// path does no `Duration` arithmetic): the gate observes it, the position is marked at the close,
    /// the equity curve advances and the strategy may signal. Hot path.
    @inlinable
    public mutating func onBar(_ candle: Candle, interval: Duration, closeTime: Timestamp, symbolIndex index: Int,
                               into actions: inout [KernelAction]) {
        gate.observe(.candle(instruments[index].symbol, candle, interval: interval))
        symbols[index].lastPrice = candle.close
        if hasOwner[index], candle.openTime >= symbols[index].ownerSince {
            symbols[index].noteFavourable(symbols[index].positionSign > 0 ? candle.high : candle.low)
        }
        portfolio.mark(index, at: candle.close)
        if portfolio.hasFault && !reportedFault { reportFault(time: closeTime, into: &actions) }
        equityCurve.barClosed(time: closeTime, equity: portfolio.equity, walletBalance: portfolio.walletBalance,
                              inPosition: portfolio.openCount > 0)
        if let signal = symbols[index].strategy.onBar(candle, closeTime: closeTime, alerts: &strategyAlertBuffer) {
            symbols[index].pendingSignal = signal
            hasPendingSignal[index] = true
        }
        if !strategyAlertBuffer.isEmpty {
            for alert in strategyAlertBuffer { actions.append(.alert(alert)) }
            strategyAlertBuffer.removeAll(keepingCapacity: true)
        }
    }

    /// A price of symbol `index` (a trade, a mark price) as the driver received it. Acts on a
    /// pending signal (at the event's venue time), then hands the event whole to the position's
    /// exit owner, whose level-to-order latency and heartbeat are measured from its
    /// `receiveTime`. Hot path.
    @inlinable
    public mutating func onPrice(_ event: PriceEvent, symbolIndex index: Int, into actions: inout [KernelAction]) {
        if takePrice(event.price, time: event.eventTime, symbolIndex: index, into: &actions) {
            callOwner(.price(event), symbolIndex: index, into: &actions)
        }
    }

    /// A replayed price of symbol `index` (a bar-path point): in a replay a price is received
    /// when it happens, so the owner's event has `receiveTime == time`. Builds that event only
    /// when an owner waits for it. Hot path.
    @inlinable
    public mutating func onPrice(_ price: Price, time: Timestamp, source: PriceEvent.Source, symbolIndex index: Int,
                                 into actions: inout [KernelAction]) {
        if takePrice(price, time: time, symbolIndex: index, into: &actions) {
            let event = PriceEvent(symbol: instruments[index].symbol, price: price, source: source, eventTime: time, receiveTime: time)
            callOwner(.price(event), symbolIndex: index, into: &actions)
        }
    }

    /// What every price does before the owner sees it: the symbol's last price, a pending signal
    /// acted on, the owner's most favourable price. Returns whether an owner waits for it.
    @inlinable
    mutating func takePrice(_ price: Price, time: Timestamp, symbolIndex index: Int, into actions: inout [KernelAction]) -> Bool {
        symbols[index].lastPrice = price
        if hasPendingSignal[index] {
            actOnPendingSignal(symbolIndex: index, price: price, time: time, into: &actions)
        }
        guard hasOwner[index] else { return false }
        symbols[index].noteFavourable(price)
        return true
    }

    /// Sends an event to the owner and performs its actions; refreshes its cached levels after
    /// any execution report and whenever it returns actions (an owner that moves a level reports
    /// it, e.g. `.saveState`). The owner appends into `ownerActionBuffer`, reused across calls.
    @inlinable
    mutating func callOwner(_ event: ExitEvent, symbolIndex index: Int, into actions: inout [KernelAction]) {
        // Emptying an empty buffer still costs a call into the array's generic removal.
        if !ownerActionBuffer.isEmpty { ownerActionBuffer.removeAll(keepingCapacity: true) }
        symbols[index].owner!.on(event, into: &ownerActionBuffer)
        if case .price = event, ownerActionBuffer.isEmpty { return }
        if let levels = symbols[index].owner?.watchedLevels {
            ownerLevels[index] = levels.isEmpty ? symbols[index].planLevels : levels
        }
        if !ownerActionBuffer.isEmpty { perform(ownerActionBuffer, symbolIndex: index, into: &actions) }
    }

    /// The levels to emit exact crossing events at: the owner's, else the entry plan's.
    @inlinable
    public func watchedLevels(symbolIndex index: Int) -> WatchedPriceLevels { ownerLevels[index] }

    /// True when no price inside `[low, high]` can make the kernel act for symbol `index`: no
    /// signal waits, and either there is no owner, or the owner reacts only to its levels and the
    /// range lies strictly between them (`sideSign`: +1 long, −1 short). A replay may then skip
    /// the bar's path. O(1).
    @inlinable @inline(__always)
    public func isQuiet(symbolIndex index: Int, low: Price, high: Price, sideSign: Int64) -> Bool {
        if hasPendingSignal[index] { return false }
        if !hasOwner[index] { return true }
        guard ownerLevelsOnly[index] else { return false }
        let levels = ownerLevels[index]
        if sideSign > 0 {
            if let stop = levels.stop, low <= stop { return false }
            if let target = levels.target, high >= target { return false }
        } else {
            if let stop = levels.stop, high >= stop { return false }
            if let target = levels.target, low <= target { return false }
        }
        return true
    }

    /// End of the replay (or shutdown): cancels entries in flight and asks every owner to close
    /// (reason `.endOfData`).
    @inlinable
    public mutating func finish(time: Timestamp, into actions: inout [KernelAction]) {
        for index in symbols.indices {
            symbols[index].pendingSignal = nil
            hasPendingSignal[index] = false
            if let pending = symbols[index].pendingEntry {
                actions.append(.cancel(pending.orderID, symbol: instruments[index].symbol))
            }
            if hasOwner[index] {
                symbols[index].closeRequest = .endOfData
                callOwner(.manualClose(time), symbolIndex: index, into: &actions)
            }
        }
    }

    @inlinable
    mutating func actOnPendingSignal(symbolIndex index: Int, price: Price, time: Timestamp, into actions: inout [KernelAction]) {
        guard let signal = symbols[index].pendingSignal else {
            hasPendingSignal[index] = false
            return
        }
        if pendingEntryID[index] != nil || symbols[index].closeRequest != nil {
            symbols[index].pendingSignal = nil
            hasPendingSignal[index] = false
            return
        }
        if let side = portfolio.side(index) {
            if side == signal.side {
                symbols[index].pendingSignal = nil
                hasPendingSignal[index] = false
                return
            }
            guard hasOwner[index] else {
                symbols[index].pendingSignal = nil
                hasPendingSignal[index] = false
                actions.append(.alert(Alert(severity: .critical, kind: "kernel.position_without_owner",
                                            message: "reversal requested but the position has no exit owner", symbol: signal.symbol, time: time)))
                return
            }
            // Reversal: the owner closes; the entry follows once flat (signal stays pending).
            symbols[index].closeRequest = .reversal
            callOwner(.manualClose(time), symbolIndex: index, into: &actions)
            return
        }
        symbols[index].pendingSignal = nil
        hasPendingSignal[index] = false
        evaluateEntry(signal, symbolIndex: index, price: price, time: time, into: &actions)
    }

    @inlinable
    mutating func evaluateEntry(_ signal: Signal, symbolIndex index: Int, price: Price, time: Timestamp, into actions: inout [KernelAction]) {
        if portfolio.hasFault, let fault = portfolio.fault {
            // Our ledger could not book something: no entry is judged against it (fail closed).
            actions.append(.decision(.rejected(signal: signal, reasons: [.ledgerFault(fault)]), report: nil, time: time))
            return
        }
        var prices: [Symbol: Price] = [:]
        for slot in symbols.indices where portfolio.sideSign[slot] != 0 {
            prices[instruments[slot].symbol] = symbols[slot].lastPrice
        }
        let context = EntryContext(time: time, instruments: instruments, instrumentIndex: index, price: price, equity: portfolio.equity,
                                   availableMargin: portfolio.availableMargin, openPositions: portfolio.openPositions,
                                   prices: prices, fundingRate: nil)
        let evaluation = gate.evaluate(signal, context: context)
        let decision = evaluation.decision
        actions.append(.decision(decision, report: evaluation.report, time: time))
        for action in evaluation.riskActions { actions.append(.risk(action)) }
        guard case .approved(let entry) = decision else { return }
        guard entry.quantity.isPositive, entry.leverage >= 1, entry.signal.side == signal.side else {
            actions.append(.alert(Alert(severity: .critical, kind: "kernel.invalid_approval",
                                        message: "entry gate approved an invalid entry; not sent", symbol: signal.symbol, time: time)))
            return
        }
        let symbol = instruments[index].symbol
        if symbols[index].leverage != entry.leverage {
            symbols[index].leverage = entry.leverage
            actions.append(.setLeverage(entry.leverage, symbol: symbol))
        }
        let id = orderIDs.next(.entry)
        symbols[index].pendingEntry = PendingEntry(orderID: id, approved: entry, filled: .zero)
        pendingEntryID[index] = id
        actions.append(.submit(OrderRequest(clientOrderID: id, symbol: symbol, side: signal.side.entryOrderSide,
                                            type: .market, quantity: entry.quantity)))
    }

    /// One critical alert for the portfolio's `fault`: from now on no entry is taken.
    @usableFromInline
    mutating func reportFault(time: Timestamp, into actions: inout [KernelAction]) {
        guard let fault = portfolio.fault else { return }
        reportedFault = true
        actions.append(.alert(Alert(severity: .critical, kind: "kernel.ledger_fault",
                                    message: "\(fault); no new entries", symbol: fault.symbol, time: time)))
    }

    /// Performs an owner's actions: only reduce-only / close-position orders pass.
    @inlinable
    mutating func perform(_ ownerActions: [ExitAction], symbolIndex index: Int, into actions: inout [KernelAction]) {
        for action in ownerActions {
            switch action {
            case .submit(let order):
                if order.reduceOnly || order.closePosition {
                    actions.append(.submit(order))
                } else {
                    actions.append(.alert(Alert(severity: .critical, kind: "kernel.owner_order_not_reduce_only",
                                                message: "exit owner order \(order.clientOrderID) is not reduce-only; refused",
                                                symbol: order.symbol, time: symbols[index].pendingSignal?.time ?? Timestamp(milliseconds: 0))))
                }
            case .cancel(let id, let symbol):
                actions.append(.cancel(id, symbol: symbol))
            case .alert(let alert):
                actions.append(.alert(alert))
            case .saveState(let snapshot):
                actions.append(.saveExitState(snapshot))
            case .sliceClosed(let reason, _, _, _):
                symbols[index].lastSliceReason = reason
                switch reason {
                case .takeProfit1, .takeProfit: symbols[index].targetsHitMask |= 1 << 1
                case .takeProfit2: symbols[index].targetsHitMask |= 1 << 2
                case .takeProfit3: symbols[index].targetsHitMask |= 1 << 3
                default: break
                }
            case .finished(let reason, _):
                symbols[index].finishedReason = reason
            }
        }
    }
}
