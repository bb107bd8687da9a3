import Synchronization
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A scripted venue for the live runtime: market orders fill at the price the test set (taker
/// fee 0.05%), stops rest, and reports go synchronously into the runtime's inbox. Faults are
/// scripted per order kind. No network, no clock of its own (the test's `ManualClock`).
final class FakeExecutionClient: ExecutionClient, @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    enum Fault {
        case rejectBackstops, unknownStatusOnEntry, configurationErrorOnEntry, transientOnOwnerCloses, positionsUnreadable
        /// The position report of a fill comes before the fill's own report (Binance does not promise an order).
        case positionReportsFirst
        /// Reports are lost (a user-data outage): orders execute, nothing reaches the runtime.
        case reportsLost
        /// Every reduce-only market order fails (transient), the watchdog's and fail-closed flattens too.
        case allClosesFail
        /// An entry's answer is lost (unknown outcome) and the venue never took it (queries: -2013).
        case entryUnknownNotPlaced
        /// Order-status queries are rate-limited.
        case queriesRateLimited
        /// Position reads and take-profit closes never answer (until `releaseHung()`).
        case slowCalls
        /// A backstop's stream reports are lost (its REST answer still comes).
        case backstopReportsLost
    }

    private let lock = Mutex(())
    let inbox: ExecutionInbox
    let clock: ManualClock
    private var prices: [Symbol: Price] = [:]
    private var faults: Set<Fault> = []
    private(set) var submitted: [OrderRequest] = []
    private(set) var queried: [ClientOrderID] = []
    private(set) var cancelled: [ClientOrderID] = []
    private var history: [ClientOrderID: OrderSnapshot] = [:]
    private var resting: [OrderSnapshot] = []
    private var venuePositions: [PositionSnapshot] = []
    /// The venue's trade history (`fills(symbol:since:)`).
    private var trades: [VenueFill] = []
    private var tradeIDs: Int64 = 5000
    private var wallet: Money?
    static let takerFee = Rate("0.0005")!

    init(inbox: ExecutionInbox, clock: ManualClock) {
        self.inbox = inbox
        self.clock = clock
    }

    func setPrice(_ price: Price, symbol: Symbol) { lock.withLock { _ in prices[symbol] = price } }
    func inject(_ fault: Fault) { _ = lock.withLock { _ in faults.insert(fault) } }
    func clear(_ fault: Fault) { _ = lock.withLock { _ in faults.remove(fault) } }
    func seed(positions: [PositionSnapshot], orders: [OrderSnapshot]) {
        lock.withLock { _ in
            venuePositions = positions
            resting = orders
        }
    }
    /// The venue's wallet as `walletBalance()` reports it (nil: not reported).
    func setWallet(_ balance: Money?) { lock.withLock { _ in wallet = balance } }
    var venuePositionList: [PositionSnapshot] { lock.withLock { _ in venuePositions } }
    var submittedOrders: [OrderRequest] { lock.withLock { _ in submitted } }
    var queriedIDs: [ClientOrderID] { lock.withLock { _ in queried } }
    var cancelledIDs: [ClientOrderID] { lock.withLock { _ in cancelled } }
    private var positionReadCount = 0
    /// How often `positions()` was called (each reconciliation reads once).
    var positionReads: Int { lock.withLock { _ in positionReadCount } }

    func submit(_ order: OrderRequest) async throws(ExecutionError) -> OrderSnapshot {
        if order.clientOrderID.value.hasSuffix("-tp") { await hangIfSlow() }
        let now = clock.now
        let (events, snapshot, failure): ([ExecutionEvent], OrderSnapshot, ExecutionError?) = lock.withLock { _ in
            submitted.append(order)
            let isEntry = !order.reduceOnly && !order.closePosition
            if order.type == .stopMarket && faults.contains(.rejectBackstops) {
                let rejection = OrderRejection(.other, code: -4045, message: "Reach max stop order limit.")
                let snapshot = OrderSnapshot(request: order, status: .rejected, filledQuantity: .zero, averagePrice: nil, venueOrderID: nil, updateTime: now)
                return ([], snapshot, ExecutionError(.rejected(rejection), code: -4045, message: rejection.message))
            }
            // The owner's market closes fail; the watchdog's flatten (`-fl`) goes through.
            if order.type == .market && order.reduceOnly
                && (faults.contains(.allClosesFail) || (!order.clientOrderID.value.hasSuffix("-fl") && faults.contains(.transientOnOwnerCloses))) {
                let snapshot = OrderSnapshot(request: order, status: .rejected, filledQuantity: .zero, averagePrice: nil, venueOrderID: nil, updateTime: now)
                return ([], snapshot, ExecutionError(.transient, code: -1001, message: "Internal error; unable to process your request."))
            }
            if isEntry && faults.contains(.entryUnknownNotPlaced) {
                let snapshot = OrderSnapshot(request: order, status: .new, filledQuantity: .zero, averagePrice: nil, venueOrderID: nil, updateTime: now)
                return ([], snapshot, ExecutionError(.unknownStatus, code: -1007, message: "Timeout waiting for response from backend server."))
            }
            if isEntry && faults.contains(.configurationErrorOnEntry) {
                let snapshot = OrderSnapshot(request: order, status: .rejected, filledQuantity: .zero, averagePrice: nil, venueOrderID: nil, updateTime: now)
                return ([], snapshot, ExecutionError(.configuration, code: -2015, message: "Invalid API-key, IP, or permissions for action."))
            }
            var events: [ExecutionEvent] = [.accepted(order.clientOrderID, symbol: order.symbol, venueOrderID: "v\(submitted.count)", time: now)]
            var snapshot = OrderSnapshot(request: order, status: .new, filledQuantity: .zero, averagePrice: nil, venueOrderID: "v\(submitted.count)", updateTime: now)
            if order.type == .market, let quantity = order.quantity, let price = prices[order.symbol] {
                let fee = price.notional(quantity, .nearest).times(Self.takerFee, .nearest)
                let fill = execute(order.clientOrderID, venueOrderID: "v\(submitted.count)", symbol: order.symbol, side: order.side, price: price,
                                   quantity: quantity, fee: fee, time: now)
                if faults.contains(.positionReportsFirst) {
                    events.append(.positionChanged(symbol: order.symbol, signedQuantity: signedPosition(order.symbol), time: now))
                }
                events.append(.filled(fill))
                snapshot.status = .filled
                snapshot.filledQuantity = quantity
                snapshot.averagePrice = price
            } else {
                resting.append(snapshot)
            }
            history[order.clientOrderID] = snapshot
            // An unknown outcome: the venue took (and filled) the order, but the answer was lost.
            let failure = isEntry && faults.contains(.unknownStatusOnEntry)
                ? ExecutionError(.unknownStatus, code: -1007, message: "Timeout waiting for response from backend server.") : nil
            return (events, snapshot, failure)
        }
        if !lock.withLock({ _ in faults.contains(.reportsLost) || (faults.contains(.backstopReportsLost) && order.closePosition) }) {
            inbox.append(contentsOf: events)
        }
        if let failure { throw failure }
        return snapshot
    }

    /// Books an execution at the venue (position and trade history); returns its fill report. Called under `lock`.
    private func execute(_ id: ClientOrderID, venueOrderID: String, symbol: Symbol, side: OrderSide, price: Price, quantity: Quantity,
                         fee: Money, time: Timestamp) -> Fill {
        tradeIDs += 1
        trades.append(VenueFill(tradeID: tradeIDs, venueOrderID: venueOrderID, clientOrderID: id, symbol: symbol, side: side, price: price,
                                 quantity: quantity, fee: fee, realizedPnL: .zero, liquidity: .taker, time: time))
        let signed = side == .buy ? quantity : .zero - quantity
        let old = venuePositions.first { $0.symbol == symbol }
        let before = old?.signedQuantity ?? .zero
        let after = before + signed
        venuePositions.removeAll { $0.symbol == symbol }
        if !after.isZero {
            let entry = before.isZero || before.isNegative != after.isNegative ? price : (old?.entryPrice ?? price)
            venuePositions.append(PositionSnapshot(symbol: symbol, signedQuantity: after, entryPrice: entry, leverage: old?.leverage ?? 2,
                                                   isolatedMargin: old?.isolatedMargin ?? .zero, liquidationPrice: nil))
        }
        return Fill(clientOrderID: id, symbol: symbol, side: side, price: price, quantity: quantity, fee: fee, liquidity: .taker, time: time,
                    venueTradeID: tradeIDs)
    }

    /// The venue's signed position in `symbol`. Called under `lock`.
    private func signedPosition(_ symbol: Symbol) -> Quantity { venuePositions.first { $0.symbol == symbol }?.signedQuantity ?? .zero }

    /// The resting close-position stop of `symbol` fires at `price`: the position is closed at the
    /// venue; its reports go to the runtime unless they are lost (`reportsLost`).
    func triggerStop(symbol: Symbol, at price: Price) {
        let now = clock.now
        let events: [ExecutionEvent] = lock.withLock { _ in
            guard let index = resting.firstIndex(where: { $0.request.symbol == symbol && $0.request.closePosition }) else { return [] }
            let stop = resting.remove(at: index)
            let quantity = signedPosition(symbol).magnitude
            guard quantity.isPositive else { return [] }
            let fee = price.notional(quantity, .nearest).times(Self.takerFee, .nearest)
            let fill = execute(stop.request.clientOrderID, venueOrderID: stop.venueOrderID ?? "stop", symbol: symbol, side: stop.request.side,
                               price: price, quantity: quantity, fee: fee, time: now)
            return faults.contains(.reportsLost) ? [] : [.triggered(stop.request.clientOrderID, symbol: symbol, time: now), .filled(fill)]
        }
        inbox.append(contentsOf: events)
    }

    func fills(symbol: Symbol, since start: Timestamp) async throws(ExecutionError) -> [VenueFill] {
        lock.withLock { _ in trades.filter { $0.symbol == symbol && $0.time >= start } }
    }

    func walletBalance() async throws(ExecutionError) -> Money? { lock.withLock { _ in wallet } }

    func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) {
        let found = lock.withLock { _ -> Bool in
            cancelled.append(id)
            guard let index = resting.firstIndex(where: { $0.request.clientOrderID == id }) else { return false }
            resting.remove(at: index)
            return true
        }
        guard found else { throw ExecutionError(.rejected(OrderRejection(.other, code: -2011, message: "Unknown order sent.")), code: -2011, message: "Unknown order sent.") }
        inbox.append(.canceled(id, symbol: symbol, time: clock.now))
    }

    func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> OrderSnapshot {
        let (snapshot, limited) = lock.withLock { _ -> (OrderSnapshot?, Bool) in
            queried.append(id)
            return (history[id], faults.contains(.queriesRateLimited))
        }
        if limited { throw ExecutionError(.rateLimited(retryAfter: .seconds(30)), code: -1003, message: "Too many requests.") }
        guard let snapshot else { throw ExecutionError(.rejected(OrderRejection(.other, code: -2013, message: "Order does not exist.")), code: -2013, message: "Order does not exist.") }
        return snapshot
    }

    func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [OrderSnapshot] {
        lock.withLock { _ in resting.filter { symbol == nil || $0.request.symbol == symbol } }
    }

    private var hung: [CheckedContinuation<Void, Never>] = []
    private var released = false
    /// Suspends while `.slowCalls` is injected, until `releaseHung()`.
    private func hangIfSlow() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let wait = lock.withLock { _ -> Bool in
                guard faults.contains(.slowCalls), !released else { return false }
                hung.append(continuation)
                return true
            }
            if !wait { continuation.resume() }
        }
    }
    /// Lets every hung call answer.
    func releaseHung() {
        let waiting = lock.withLock { _ -> [CheckedContinuation<Void, Never>] in
            released = true
            defer { hung = [] }
            return hung
        }
        for continuation in waiting { continuation.resume() }
    }
    var hungCalls: Int { lock.withLock { _ in hung.count } }
    /// Lets only the call that hung first answer (later ones keep hanging).
    func releaseOldestHung() {
        let first = lock.withLock { _ -> CheckedContinuation<Void, Never>? in hung.isEmpty ? nil : hung.removeFirst() }
        first?.resume()
    }

    func positions() async throws(ExecutionError) -> [PositionSnapshot] {
        await hangIfSlow()
        lock.withLock { _ in positionReadCount += 1 }
        let (positions, unreadable) = lock.withLock { _ in (venuePositions, faults.contains(.positionsUnreadable)) }
        if unreadable { throw ExecutionError(.transient, code: -1001, message: "Internal error; unable to process your request.") }
        return positions
    }

    private var leverages: [Int] = []
    var leverageCalls: [Int] { lock.withLock { _ in leverages } }
    func setLeverage(_ leverage: Int, symbol: Symbol) async throws(ExecutionError) { lock.withLock { _ in leverages.append(leverage) } }

    func executionEvents() -> AsyncStream<ExecutionEvent> { AsyncStream { $0.finish() } }
}

/// Alerts delivered, for assertions.
final class RecordingAlerting: Alerting, @unchecked Sendable {
    // @unchecked: `received` is guarded by `lock`.
    private let lock = Mutex(())
    private var received: [Alert] = []
    func send(_ alert: Alert) async { lock.withLock { _ in received.append(alert) } }
    var delivered: [Alert] { lock.withLock { _ in received } }
}

/// Signals SHORT on the first bar.
struct ShortOnceStrategy: TradingStrategy {
    var fired = false
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        guard !fired else { return nil }
        fired = true
        return Signal(symbol: "ATOMUSDT", side: .short, confidence: nil, time: closeTime, source: "test")
    }
}

/// Approves 446.03 ATOM at 2x with the exit engine's plan.
struct BrainGate: EntryGate {
    let brain: ExitBrain
    mutating func observe(_ event: MarketEvent) {}
    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] { [] }
    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        switch brain.plan(symbol: signal.symbol, side: signal.side, entryPrice: context.price, quantity: Quantity("446.03")!,
                          leverage: 2, instrument: context.instrument) {
        case .success(let plan): EntryEvaluation(.approved(ApprovedEntry(signal: signal, quantity: plan.quantity, leverage: 2, plan: plan)))
        case .failure(let rejection): EntryEvaluation(.rejected(signal: signal, reasons: [.exitPlanRejected(rejection.message)]))
        }
    }
}

typealias ATOMRuntime = LiveRuntime<ShortOnceStrategy, BrainGate, ExitExecutor>

/// One ATOMUSDT live runtime over the fake venue, with the exit engine and the watchdog.
struct LiveHarness {
    static let atom = Instrument(
        symbol: "ATOMUSDT", baseAsset: "ATOM", tickSize: Price("0.001")!, stepSize: Quantity("0.01")!,
        minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
            MarginBracket(notionalFloor: Money(units: 5_000), notionalCap: Money(units: 25_000), maintenanceMarginRate: Rate("0.025")!, maintenanceAmount: Money(units: 75), maxLeverage: 20),
        ])
    static let start = Timestamp(milliseconds: 1_700_000_000_000)
    static func time(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: start.milliseconds + seconds * 1000) }

    let clock = ManualClock(LiveHarness.start)
    let inbox = ExecutionInbox()
    let client: FakeExecutionClient
    let store: any TradeStore
    let alerting = RecordingAlerting()
    let runtime: ATOMRuntime
    let runID: Int64

    init(store: any TradeStore = InMemoryTradeStore(), metrics: RuntimeMetrics = RuntimeMetrics(), watchVenuePositions: Bool = false,
         configure: (inout LiveRuntimeSettings) -> Void = { _ in }) throws {
        self.store = store
        client = FakeExecutionClient(inbox: inbox, clock: clock)
        let brain = try ExitBrain(settings: ExitSettings())
        runID = try store.beginRun(RunRecord(kind: .live, startedAt: LiveHarness.start, configHash: "test", detail: "live runtime test"))
        let kernel = TradingKernel<ShortOnceStrategy, BrainGate, ExitExecutor>(
            instruments: [LiveHarness.atom], strategies: [ShortOnceStrategy()], gate: BrainGate(brain: brain), initialBalance: Money(units: 10_000),
            equitySampleInterval: .seconds(3600), runTag: "lv",
            makeExitOwner: { ExitExecutor.make($0, settings: ExitSettings()) })
        runtime = ATOMRuntime(kernel: kernel, client: client, inbox: inbox, store: store, runID: runID, alerting: alerting,
                              clock: clock, planner: brain,
                              settings: { var settings = LiveRuntimeSettings(runTag: "lv", priceSource: .markPrice)
                                  settings.watchVenuePositions = watchVenuePositions
                                  configure(&settings)
                                  return settings }(), statusOf: { $0.status },
                              metrics: metrics)
    }

    /// The bar that makes the strategy signal SHORT, closing at 60 s.
    func closeSignalBar() async {
        clock.set(LiveHarness.time(60))
        let bar = Candle(openTime: LiveHarness.start, open: Price("2.22")!, high: Price("2.23")!, low: Price("2.21")!, close: Price("2.224")!,
                         volume: Quantity(units: 1000))
        await runtime.handle(.market(.candle("ATOMUSDT", bar, interval: .seconds(60))))
    }

    /// A mark price at `seconds`, received at once (the clock is set to it).
    func mark(_ price: String, at seconds: Int64) async {
        await mark(price, at: seconds, receivedAt: seconds)
    }

    /// A mark price of venue time `seconds` that arrives at `receivedAt` (the clock is set to that).
    func mark(_ price: String, at seconds: Int64, receivedAt: Int64) async {
        clock.set(LiveHarness.time(receivedAt))
        client.setPrice(Price(price)!, symbol: "ATOMUSDT")
        await runtime.handle(.market(.markPrice(MarkPrice(symbol: "ATOMUSDT", price: Price(price)!, eventTime: LiveHarness.time(seconds),
                                                          receiveTime: LiveHarness.time(receivedAt)))))
    }
}
