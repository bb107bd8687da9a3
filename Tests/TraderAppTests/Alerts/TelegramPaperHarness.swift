import Alerts
import AlertsTestSupport
import Backtest
import Foundation
import Testing
import LocalVenue
import Logging
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Hummingbird

/// The exit executor, or the same executor with its stop not enforced (price events never reach
/// it; fills and timers do, so its backstop rests and its status stays readable): the old bot's
/// "stop computed but never enforced".
struct SwitchableOwner: PositionExitOwner {
    var inner: ExitExecutor
    let ignoresPrices: Bool
    var executorName: String { inner.executorName }
    var watchedLevels: WatchedPriceLevels { inner.watchedLevels }
    var exitStatus: TradingEngine.ExitStatus? { inner.exitStatus }
    mutating func on(_ event: ExitEvent) -> [ExitAction] {
        if ignoresPrices, case .price = event { return [] }
        return inner.on(event)
    }
}

/// Orders the runtime sent to the simulated venue (a pass-through that records them).
final class RecordingClient: ExecutionClient, @unchecked Sendable {
    let base: SimulatedExecutionClient
    let submitted = WatchedValue<[OrderRequest]>([])
    init(_ base: SimulatedExecutionClient) { self.base = base }
    func submit(_ order: OrderRequest) async throws(ExecutionError) -> OrderSnapshot {
        submitted.update { $0.append(order) }
        return try await base.submit(order)
    }
    func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) { try await base.cancel(id, symbol: symbol) }
    func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> OrderSnapshot { try await base.order(id, symbol: symbol) }
    func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [OrderSnapshot] { try await base.openOrders(symbol: symbol) }
    func positions() async throws(ExecutionError) -> [PositionSnapshot] { try await base.positions() }
    func setLeverage(_ leverage: Int, symbol: Symbol) async throws(ExecutionError) { try await base.setLeverage(leverage, symbol: symbol) }
    func executionEvents() -> AsyncStream<ExecutionEvent> { base.executionEvents() }
    /// Reduce-only closes (not the close-position backstop).
    var reduceOnlyCloses: [OrderRequest] { submitted.current.filter { $0.reduceOnly && !$0.closePosition } }
}

/// Shorts `symbol` at a closed bar: the first one only, or every one (`everyBar`).
struct ShortSignals: TradingStrategy {
    let symbol: Symbol
    let everyBar: Bool
    var fired = false
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        guard everyBar || !fired else { return nil }
        fired = true
        return Signal(symbol: symbol, side: .short, confidence: nil, time: closeTime, source: "test")
    }
}

/// One price point of the harness's venue path (one a second).
struct HarnessPoint: Sendable {
    var symbol: Symbol
    var price: String
    /// The point also closes a one-minute kline of `symbol` (the strategy's bar).
    var closesBar: Bool

    init(_ symbol: Symbol = "ATOMUSDT", _ price: String, closesBar: Bool = false) {
        self.symbol = symbol
        self.price = price
        self.closesBar = closesBar
    }
}

/// Records the runtime inputs handled, in order.
final class InputRecorder: RuntimeObserver, @unchecked Sendable {
    let inputs = WatchedValue<[RuntimeInput]>([])
    func handled(_ input: RuntimeInput, state: RuntimeState) async -> Bool {
        inputs.update { $0.append(input) }
        return true
    }
}

/// A paper session against the local venue (ATOMUSDT, one price point a second) with the alert
/// services and a fake Telegram: the venue's WebSocket market stream into the live runtime
/// (simulated execution, exit executor + watchdog), the runtime's alerts and snapshots into the
/// alert center, messages through a delivery queue to the fake Telegram's `sendMessage`,
/// commands from its `getUpdates`. Nothing moves by itself: `step()` sets the clock to the next
/// point's time and publishes it; waits are on conditions, never on the wall clock.
struct TelegramPaperHarness: Sendable {
    static let start = Timestamp(milliseconds: 1_767_571_200_000)
    static let chat: Int64 = 1001
    static let quiet = Logger(label: "telegram-paper-test", factory: { _ in SwiftLogNoOpLogHandler() })

    let controller: VenueController
    let clock: SteppedClock
    let fake: FakeTelegram
    let alerts: AlertServices
    let client: RecordingClient
    let recorder: InputRecorder
    let store: InMemoryTradeStore
    let commands: AsyncStream<RuntimeInput>.Continuation

    /// Point `index`'s time.
    static func time(_ index: Int) -> Timestamp { start.advanced(by: .seconds(Int64(index))) }

    /// ATOMUSDT only: the venue applies the first point at once (before any stream is open); the
    /// second closes a kline (the strategy's bar: SHORT); later points are marks and trades only.
    static func run(prices: [String], enforcesStop: Bool, telegram: (FakeTelegram) -> Void = { _ in }, attemptTimeout: Duration = .seconds(10),
                    commands withCommands: Bool = false, _ body: @Sendable (TelegramPaperHarness) async throws -> Void) async throws {
        let points = prices.enumerated().map { HarnessPoint("ATOMUSDT", $0.element, closesBar: $0.offset == 1) }
        try await run(points: points, shortEveryBar: false, enforcesStop: enforcesStop, telegram: telegram, attemptTimeout: attemptTimeout,
                      commands: withCommands, body)
    }

    /// Any symbols: each shorts at its first closed bar (or every one with `shortEveryBar`). A
    /// symbol's k-th of n closed klines opened (n − k) minutes before the start.
    static func run(points harnessPoints: [HarnessPoint], shortEveryBar: Bool, enforcesStop: Bool, telegram: (FakeTelegram) -> Void = { _ in },
                    attemptTimeout: Duration = .seconds(10), commands withCommands: Bool = false,
                    _ body: @Sendable (TelegramPaperHarness) async throws -> Void) async throws {
        var seen: [Symbol] = []
        for point in harnessPoints where !seen.contains(point.symbol) { seen.append(point.symbol) }
        let symbols = seen
        let instruments = try symbols.map { try #require(BundledInstruments.instrument($0)) }
        var points: [VenuePricePoint] = []
        var closes: [Symbol: Int] = [:]
        for (index, point) in harnessPoints.enumerated() {
            let price = Price(point.price)!
            var candle: Candle?
            if point.closesBar {
                let total = harnessPoints.filter { $0.symbol == point.symbol && $0.closesBar }.count
                let done = closes[point.symbol, default: 0]
                closes[point.symbol] = done + 1
                candle = Candle(openTime: start.advanced(by: .seconds(Int64(-60 * (total - done)))), open: price, high: price, low: price, close: price,
                                volume: Quantity(units: 1))
            }
            points.append(VenuePricePoint(symbol: point.symbol, time: time(index), price: price, closedCandle: candle))
        }
        let controller = VenueController(path: PricePath(points: points), instruments: instruments, initialBalance: Money(units: 10_000), credentials: [:])
        let clock = SteppedClock(start)
        let fake = FakeTelegram(clock: clock)
        telegram(fake)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = VenueServer.application(controller: controller, port: 0, logger: quiet) { portContinuation.yield($0) }
        try await fake.run { fake in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try? await app.run() }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw FakeTelegramError("the venue did not start") }

                var settings = AlertSettings.defaults
                settings.rules.lifecycle = false
                settings.rules.marketDataSilent = false
                settings.telegram.enabled = true
                settings.telegram.chatIDs = [chat]
                settings.telegram.apiURL = fake.baseURL
                settings.telegram.commands = withCommands
                settings.telegram.delivery = DeliveryPolicy(attemptTimeout: attemptTimeout)
                let store = InMemoryTradeStore()
                let alerts = AlertServices(settings: settings, secrets: AlertSecrets(botToken: BotToken(fake.token), webhookSecret: nil), store: store,
                                           sessionLabel: "paper on the local venue", console: nil, priceSource: .markPrice,
                                           environment: AlertServices.Environment(transport: ClockDeadlineTransport(clock: clock), clock: clock,
                                                                                  sleep: clock.sleep, makeCode: { "424242" }, logger: quiet))
                for queue in alerts.queues { group.addTask { try await queue.run() } }
                group.addTask { try await alerts.dispatcher.run() }
                if let poller = alerts.poller { group.addTask { try await poller.run() } }

                let brain = try ExitBrain(settings: ExitSettings())
                let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: start, configHash: "test", detail: "telegram paper test"))
                let simulated = SimulatedExecutionClient(
                    exchange: SimulatedExchange(instruments: instruments, initialBalance: Money(units: 10_000),
                                                settings: SimulatedExchangeSettings(fees: .binanceStandard, slippageBasisPoints: 0, latency: .none,
                                                                                    enforcePrecision: true, defaultLeverage: 20)), clock: clock)
                let inbox = ExecutionInbox()
                simulated.observe { inbox.append(contentsOf: $0) }
                let client = RecordingClient(simulated)
                let kernel = TradingKernel<ShortSignals, BrainGate, SwitchableOwner>(
                    instruments: instruments, strategies: symbols.map { ShortSignals(symbol: $0, everyBar: shortEveryBar) }, gate: BrainGate(brain: brain),
                    initialBalance: Money(units: 10_000),
                    equitySampleInterval: .seconds(3600), runTag: "tg",
                    makeExitOwner: { context in
                        SwitchableOwner(inner: ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument,
                                                            settings: ExitSettings(), positionKey: context.positionKey, orderIDs: context.orderIDs),
                                        ignoresPrices: !enforcesStop)
                    })
                let runtime = LiveRuntime(kernel: kernel, client: client, inbox: inbox, store: store, runID: runID,
                                          alerting: alerts.center, clock: clock, planner: brain,
                                          settings: LiveRuntimeSettings(runTag: "tg", priceSource: .markPrice), statusOf: { $0.exitStatus })
                try await runtime.reconcile()
                let recorder = InputRecorder()
                let (commandStream, commands) = AsyncStream.makeStream(of: RuntimeInput.self)
                let feed = PaperRunner.venueFeed(websocketURL: "ws://127.0.0.1:\(port)", clock: clock, logger: quiet)
                group.addTask {
                    try await runtime.run(market: feed.events(symbols: symbols), timerInterval: nil, commands: commandStream,
                                          observer: RuntimeObservers([alerts.observer, recorder]),
                                          beforeMarket: { simulated.follow($0, priceSource: .markPrice) })
                }
                await controller.waitUntil { $0.openMarketStreams >= 1 }
                let harness = TelegramPaperHarness(controller: controller, clock: clock, fake: fake, alerts: alerts, client: client, recorder: recorder,
                                                   store: store, commands: commands)
                var failure: (any Error)?
                do { try await body(harness) } catch { failure = error }
                group.cancelAll()
                if let failure { throw failure }
            }
        }
    }

    /// Sets the clock to the next point's time, publishes it and waits until the runtime handled its mark.
    func step() async {
        guard let next = controller.nextPointTime else { return }
        clock.set(next)
        controller.step()
        await recorder.inputs.wait { inputs in
            inputs.contains { if case .market(.markPrice(let mark)) = $0 { mark.eventTime == next } else { false } }
        }
    }

    /// `step()`, then waits until every alert it caused was handed to Telegram (or waits for a back-off).
    func stepAndSettle() async {
        await step()
        await alerts.dispatcher.settle(clock: clock)
    }

    /// One timer tick through the runtime's loop (close requests, manual halts are read on ticks).
    func tick() async {
        let count = recorder.inputs.current.count
        commands.yield(.timer(clock.now))
        await recorder.inputs.wait { $0.count > count }
    }

    /// `sendMessage` requests Telegram answered, in arrival order.
    var delivered: [FakeTelegram.Received] { fake.state.current.delivered }
}
