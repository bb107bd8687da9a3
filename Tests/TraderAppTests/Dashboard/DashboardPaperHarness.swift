import Alerts
import AlertsTestSupport
import Backtest
import Dashboard
import Foundation
import HummingbirdBcrypt
import LocalVenue
import Logging
import Prometheus
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Hummingbird

/// A paper session against the local venue (ATOMUSDT; the second point closes the bar that
/// makes the strategy go SHORT 446.03 at 2x under the exit executor with its exchange-side
/// backstop) with the console beside it, built as `qt paper` builds it (`DashboardServices`
/// with the session's `DashboardObserver`, the store's command channel) and the runtime's
/// metrics in its own Prometheus registry. The runtime ticks every 50 ms of real time (as
/// `qt paper` ticks every second), so close requests and halts are carried out; prices move
/// only on `step()`.
struct DashboardPaperHarness: Sendable {
    static let start = Timestamp(milliseconds: 1_767_571_200_000)
    static let password = "correct horse battery"
    static let token = "dashboard-test-token-42"
    static let credentials = DashboardCredentials(user: "admin", passwordHash: Bcrypt.hash(password, cost: 4), tokenHash: Bcrypt.hash(token, cost: 4))
    static let quiet = Logger(label: "dashboard-paper-test", factory: { _ in SwiftLogNoOpLogHandler() })

    let controller: VenueController
    let clock: SteppedClock
    let store: InMemoryTradeStore
    let dashboard: DashboardServices
    let recorder: InputRecorder
    let registry: PrometheusCollectorRegistry

    static func time(_ index: Int) -> Timestamp { start.advanced(by: .seconds(Int64(index))) }

    static func run(prices: [String], settings: DashboardSettings = DashboardSettings(), _ body: @Sendable (DashboardPaperHarness) async throws -> Void) async throws {
        let instrument = try #require(BundledInstruments.instrument("ATOMUSDT"))
        var points: [VenuePricePoint] = []
        for (index, text) in prices.enumerated() {
            let price = Price(text)!
            let candle = index == 1 ? Candle(openTime: start.advanced(by: .seconds(-60)), open: price, high: price, low: price, close: price,
                                             volume: Quantity(units: 1)) : nil
            points.append(VenuePricePoint(symbol: "ATOMUSDT", time: time(index), price: price, closedCandle: candle))
        }
        let controller = VenueController(path: PricePath(points: points), instruments: [instrument], initialBalance: Money(units: 10_000), credentials: [:])
        let clock = SteppedClock(start)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = VenueServer.application(controller: controller, port: 0, logger: quiet) { portContinuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw HeadlessChromium.Failure("the venue did not start") }

            let store = InMemoryTradeStore()
            let registry = PrometheusCollectorRegistry()
            let factory = AppMetrics.prometheusFactory(registry)
            let dashboard = try DashboardServices(settings: settings, store: store, label: "paper on the local venue (test)", strategy: nil, clock: clock,
                                                  inSession: true, priceSource: .markPrice, credentials: credentials, metrics: registry,
                                                  logger: quiet, observerMetrics: factory)
            let brain = try ExitBrain(settings: ExitSettings())
            let runID = try store.beginRun(RunRecord(kind: .paper, startedAt: start, configHash: "test", detail: "dashboard paper test"))
            let simulated = SimulatedExecutionClient(
                exchange: SimulatedExchange(instruments: [instrument], initialBalance: Money(units: 10_000),
                                            settings: SimulatedExchangeSettings(fees: .binanceStandard, slippageBasisPoints: 0, latency: .none,
                                                                                enforcePrecision: true, defaultLeverage: 20)), clock: clock)
            let inbox = ExecutionInbox()
            simulated.observe { inbox.append(contentsOf: $0) }
            let kernel = TradingKernel<ShortOnceStrategy, BrainGate, ExitExecutor>(
                instruments: [instrument], strategies: [ShortOnceStrategy()], gate: BrainGate(brain: brain), initialBalance: Money(units: 10_000),
                equitySampleInterval: .seconds(1), runTag: "db",
                makeExitOwner: { context in
                    ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument, settings: ExitSettings(),
                                 positionKey: context.positionKey, orderIDs: context.orderIDs)
                })
            let runtime = LiveRuntime(kernel: kernel, client: simulated, inbox: inbox, store: store, runID: runID,
                                      alerting: RecordingAlerting(), clock: clock, planner: brain,
                                      settings: LiveRuntimeSettings(runTag: "db", priceSource: .markPrice), statusOf: { $0.exitStatus },
                                      metrics: RuntimeMetrics(factory: factory))
            try await runtime.reconcile()
            let recorder = InputRecorder()
            let feed = PaperRunner.venueFeed(websocketURL: "ws://127.0.0.1:\(port)", clock: clock, logger: quiet)
            let observer = RuntimeObservers([try #require(dashboard.observer), recorder])
            group.addTask {
                try await runtime.run(market: feed.events(symbols: ["ATOMUSDT"]), timerInterval: .milliseconds(50), observer: observer,
                                      beforeMarket: { simulated.follow($0, priceSource: .markPrice) })
            }
            await controller.waitUntil { $0.openMarketStreams >= 1 }
            let harness = DashboardPaperHarness(controller: controller, clock: clock, store: store, dashboard: dashboard, recorder: recorder, registry: registry)
            var failure: (any Error)?
            do { try await body(harness) } catch { failure = error }
            group.cancelAll()
            if let failure { throw failure }
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

    /// Steps until the runtime's short is open with its backstop resting.
    func openTheShort() async throws {
        for _ in 0..<3 { await step() }
        let position = try #require(dashboard.observer?.snapshot?.state.positions.first)
        #expect(position.position.side == .short && position.backstopPrice != nil && position.stopPrice != nil)
    }

    /// Waits until the runtime has handled `count` more inputs (timer ticks included).
    func settle(_ count: Int = 3) async {
        let seen = recorder.inputs.current.count
        await recorder.inputs.wait { $0.count >= seen + count }
    }
}

