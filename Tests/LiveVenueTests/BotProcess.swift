import Synchronization
import BinanceFutures
import LocalVenue
import Logging
import Storage
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

typealias VenueSession = LiveSession<ShortOnceStrategy, BrainGate, ExitExecutor>
typealias VenueRuntime = LiveRuntime<ShortOnceStrategy, BrainGate, ExitExecutor>

/// One bot "process": a `LiveSession` with its own HTTP transport (which can kill it), its own
/// handle on the store file, its runtime and the inputs it handled. Stopped gracefully with
/// `stop()` (as SIGINT) or killed by its transport (`KillSwitchTransport`) and `abandon()`.
final class BotProcess: Sendable {
    let transport: KillSwitchTransport
    /// Every runtime input, appended after it was handled completely.
    let handled = Observed<RuntimeInput>()
    let runtime = Box<VenueRuntime?>(nil)
    let runID = Box<Int64?>(nil)
    let store: SQLiteTradeStore
    /// Releases one timer tick each (the session's timer waits on these, never on the wall clock).
    let ticks = Observed<Void>()
    /// The runtime's state after the last input it handled.
    let latestState = Box<RuntimeState?>(nil)
    /// Whether a venue call of the runtime was queued or running after the last input it handled.
    let lanesBusy = Box(false)
    /// Client ids of the fills in this process's store after its last reconciliation was handled
    /// (fills booked from the venue's trade history have no report among `handled`).
    let reconciledFills = Box<Set<String>>([])
    private let stopSignal: AsyncStream<Void>.Continuation
    private let task: Task<Result<VenueSession.Summary, LiveRuntimeError>, Never>

    static let timerInterval = Duration.seconds(86_399)

    /// - Parameters:
    ///   - killAtTrade: kill the process at the n-th user-data `TRADE` report, before it is read.
    ///   - watch: (optional) sees each input with the runtime's state right after it was handled, inside the loop.
    init(venue: VenueLiveHarness, killPoint: KillSwitchTransport.KillPoint?, killAtTrade: Int? = nil, strategy: ShortOnceStrategy,
         watch: (@Sendable (RuntimeInput, RuntimeState) async -> Void)? = nil, probe: LatencyProbe? = nil) throws {
        var handedOver: (@Sendable (HTTPRequestData) -> Void)?
        var arrival: (@Sendable ([UInt8]) -> Void)?
        if let probe {
            handedOver = { request in probe.handedOver(request) }
            arrival = { bytes in probe.arrived(bytes) }
        }
        transport = KillSwitchTransport(base: venue.http, killPoint: killPoint, handedOver: handedOver)
        let connector = KillSwitchConnector(base: WSClientConnector(logger: VenueLiveHarness.quiet), transport: transport, killAtTrade: killAtTrade,
                                            arrival: arrival)
        store = try SQLiteTradeStore(path: venue.storePath)
        let (stopStream, stopSignal) = AsyncStream.makeStream(of: Void.self)
        self.stopSignal = stopSignal
        let (handled, ticks, consumedTicks, latestState, runtimeBox, lanesBusy) = (handled, ticks, Box(0), latestState, runtime, lanesBusy)
        let (reconciledFills, fillStore, fillRunID) = (reconciledFills, store, runID)
        let backOffs = BackOffGuard()
        let controller = venue.controller
        let leanClock = venue.clock
        let session = VenueSession(
            transport: transport, websocketURL: "ws://127.0.0.1:\(venue.port)", connector: connector,
            credentials: try VenueLiveHarness.credentials, symbols: [VenueLiveHarness.symbol], clock: venue.clock,
            timerInterval: Self.timerInterval, seed: 7, logger: VenueLiveHarness.quiet,
            sleep: { duration in
                if duration == BotProcess.timerInterval {
                    let target = consumedTicks.update { count -> Int in
                        count += 1
                        return count
                    }
                    await ticks.wait { $0.count >= target }
                    if Task.isCancelled { throw CancellationError() }
                    return
                }
                if duration > .seconds(120) {
                    // Listen-key keep-alives and planned reconnects fall due on venue time, as
                    // on Binance's clock: a path longer than the venue's 60-minute key validity
                    // keeps its key alive as `qt live` does (never waiting on the wall clock).
                    let due = controller.now.advanced(by: duration)
                    await controller.waitUntil { $0.now >= due }
                    if Task.isCancelled { throw CancellationError() }
                    return
                }
                try await backOffs.wait()  // reconnect back-off: at once
            },
            pause: { _ in try? await backOffs.wait() },
            observer: { input in
                backOffs.progressed()
                if let runtime = runtimeBox.value {
                    // A lean probe measures the runtime without the harness's per-input state copy.
                    let state = probe?.leanObserver == true ? RuntimeState(time: leanClock.now, trades: [], positions: []) : await runtime.state
                    latestState.value = state
                    lanesBusy.value = await runtime.lanesBusy
                    if let watch { await watch(input, state) }
                }
                if case .orderOutcome(.venueRead) = input, let runID = fillRunID.value {
                    reconciledFills.value = Set(((try? fillStore.fills(runID: runID)) ?? []).map(\.fill.clientOrderID.value))
                }
                handled.append(input)
            })
        let (store, runIDBox, clock) = (store, runID, venue.clock)
        let makeRuntime: VenueSession.RuntimeFactory = { session in
            let brain = try ExitBrain(settings: ExitSettings())
            let runID = try store.beginRun(RunRecord(kind: .live, startedAt: clock.now, configHash: "test", detail: "live venue test"))
            // One run tag per process (the store's run id): client ids never repeat across restarts.
            let runTag = "v\(runID)"
            let kernel = TradingKernel<ShortOnceStrategy, BrainGate, ExitExecutor>(
                instruments: session.instruments, strategies: [strategy], gate: BrainGate(brain: brain),
                initialBalance: Money(units: 10_000), equitySampleInterval: .seconds(3600), runTag: runTag,
                makeExitOwner: { ExitExecutor.make($0, settings: ExitSettings()) })
            let runtime = VenueRuntime(kernel: kernel, client: session.client, inbox: ExecutionInbox(), store: store, runID: runID,
                                       alerting: RecordingAlerting(), clock: session.clock, planner: brain,
                                       settings: LiveRuntimeSettings(runTag: runTag, priceSource: .markPrice), statusOf: { $0.status },
                                       metrics: probe.map { RuntimeMetrics(factory: $0.runtimeTimer) } ?? RuntimeMetrics())
            runtimeBox.value = runtime
            runIDBox.value = runID
            return runtime
        }
        task = Task {
            do throws(LiveRuntimeError) {
                return .success(try await session.run(makeRuntime: makeRuntime, until: { for await _ in stopStream { return } }))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Stops the session as SIGINT does (nothing is sent or closed) and returns its summary.
    func stop() async throws -> VenueSession.Summary {
        stopSignal.finish()
        return try await task.value.get()
    }

    /// After a kill: cancels what is left of the process (streams, timer) without any graceful
    /// step; its suspended REST calls stay suspended until `release()`.
    func abandon() {
        stopSignal.finish()
        task.cancel()
    }

    /// Lets the dead process's suspended calls fail and waits for its tasks to end (clean-up).
    func release() async {
        transport.release()
        ticks.append(())
        _ = await task.value
    }

    /// Sends one timer tick and waits until the runtime handled it.
    func tick() async {
        let timers = handled.values.filter { if case .timer = $0 { true } else { false } }.count
        ticks.append(())
        await handled.wait { $0.filter { if case .timer = $0 { true } else { false } }.count > timers }
    }

    /// True when the runtime's owner of the open position has its backstop at `trigger` accepted
    /// (from the venue's REST answer or its stream report).
    func hasAcceptedBackstop(at trigger: Price?) -> Bool {
        guard let trigger else { return false }
        return latestState.value?.positions.first?.backstopPrice == trigger
    }

    /// True once the runtime handled `input`.
    func hasHandled(_ matches: (RuntimeInput) -> Bool) -> Bool { handled.values.contains(where: matches) }

    /// Fills this process stored (its run only).
    var storeFills: [Fill] { (try? store.fills(runID: runID.value ?? -1).map(\.fill)) ?? [] }

    /// CRITICAL alerts this process stored.
    var criticalAlerts: [String] {
        ((try? store.alerts(runID: runID.value ?? -1)) ?? []).map(\.alert).filter { $0.severity == .critical }.map { "\($0.kind): \($0.message)" }
    }
}

/// Alerts delivered, for assertions.
final class RecordingAlerting: Alerting, @unchecked Sendable {
    // @unchecked: `received` is guarded by `lock`.
    private let lock = Mutex(())
    private var received: [Alert] = []
    func send(_ alert: Alert) async { lock.withLock { _ in received.append(alert) } }
    var delivered: [Alert] { lock.withLock { _ in received } }
}

/// Back-offs and pauses of a bot return at once (the clock is frozen; nothing waits on the wall
/// clock). A bot whose retries can never succeed — its test timed out and left it running, or the
/// REST budget refuses locally until a minute that never comes on the frozen clock — would then
/// spin on the cooperative pool and starve every other test of the run. After `limit` immediate
/// back-offs without a handled input it waits 20 ms per retry (CPU use near zero; a test that
/// makes progress never gets there), and a cancelled bot stops retrying.
final class BackOffGuard: Sendable {
    private let immediate = Box(0)
    private let limit = 200

    func wait() async throws {
        try Task.checkCancellation()
        let count = immediate.update { count -> Int in
            count += 1
            return count
        }
        if count <= limit {
            await Task.yield()
        } else {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func progressed() { immediate.value = 0 }
}
