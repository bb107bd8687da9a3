import Foundation
import Testing
import TradingConfig
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt live` decides what may trade live money before it touches a venue, and builds the same
/// gate and exit owner as `qt backtest` / `qt paper` (`TradingWiring`) for the live runtime.
@Suite("qt live: preflight decisions and the live composition")
struct LiveCompositionTests {
    static let root = BacktestConfigTests.root
    static let env = ["QT_BINANCE_API_KEY": "k", "QT_BINANCE_API_SECRET": "s"]

    static func example(_ name: String) throws -> AppConfig { try AppConfig.load(path: root + "/examples/" + name) }

    /// The validated example with `[strategy]`/`[execution]` lines replaced.
    static func validated(replacing old: String, with new: String) throws -> AppConfig {
        let text = try String(contentsOfFile: root + "/examples/ema-cross-validated.toml", encoding: .utf8)
        #expect(text.contains(old))
        return try AppConfig(from: try ConfigDocument.parse(text: text.replacingOccurrences(of: old, with: new), file: "live.toml"))
    }

    @Test("exit-engine × validator is accepted (testnet by default); every other combination is refused with what to set")
    func preflightDecisions() throws {
        let plan = try LiveBuilds.check(config: try Self.example("ema-cross-validated.toml"), confirmLive: true, environment: Self.env,
                                           keyFile: nil, repositoryRoot: nil)
        #expect(plan.network == .testnet && plan.restURL == "https://testnet.binancefuture.com")

        let refusals: [(AppConfig, String)] = [
            (try Self.example("ema-cross.toml"), "live trading requires \"exit-engine\""),  // reference bracket + sizer
            (try Self.example("ema-cross-exit-engine.toml"), "entry_gate = \"validator\""),  // exit engine + sizer: no risk checks
            (try Self.example("ml-ensemble.toml"), "live trading requires \"exit-engine\""),
            (try Self.validated(replacing: "policy = \"exit-engine\"", with: "policy = \"reference-bracket\""), "places no exchange backstop"),
            (try LivePreflightTests.config("[execution]\npolicy = \"exit-engine\"\n"), "needs a [strategy] section"),
        ]
        for (config, message) in refusals {
            #expect { try LiveBuilds.check(config: config, confirmLive: true, environment: Self.env, keyFile: nil, repositoryRoot: nil) } throws: {
                "\($0)".contains(message)
            }
            // Never built for live, whatever the caller: the composition applies the same rules.
            #expect(throws: StartupError.self) { try LiveComposition(config: config, barInterval: .seconds(60), start: LiveHarness.start, store: nil) }
        }
    }

    /// The live runtime from the composition: the validator gate with its risk supervision, the
    /// exit engine as owner, the `ExitBrain` planner — a venue position found without an owner
    /// is adopted and its exchange backstop is the first order sent.
    @Test func theLiveRuntimeHasTheValidatorTheExitEngineAndThePlanner() async throws {
        let composition = try LiveComposition(config: try Self.example("ema-cross-validated.toml"), barInterval: .seconds(60),
                                              start: LiveHarness.start, store: InMemoryTradeStore())
        #expect(composition.manualHalt == nil && composition.priceSource == .markPrice)
        let clock = ManualClock(LiveHarness.start)
        let inbox = ExecutionInbox()
        let client = FakeExecutionClient(inbox: inbox, clock: clock)
        // 100 ATOM short at 2.224, 5x, no stop at the venue.
        client.seed(positions: [PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity(units: -100), entryPrice: Price("2.224")!, leverage: 5,
                                                 isolatedMargin: Money("44.48")!, liquidationPrice: nil)], orders: [])
        let store = InMemoryTradeStore()
        let runID = try store.beginRun(RunRecord(kind: .live, startedAt: LiveHarness.start, configHash: "test", detail: "live composition test"))
        let runtime = try composition.makeRuntime(instruments: [LiveHarness.atom], client: client, store: store, runID: runID, alerting: RecordingAlerting(),
                                                  clock: clock)
        #expect(await runtime.riskState == .active)
        // The exit engine's owners report statuses: the watchdog watches the venue's positions too.
        #expect(await runtime.settings.watchVenuePositions)
        try await runtime.reconcile()
        #expect(await runtime.hasOwner("ATOMUSDT"))
        let first = try #require(client.submittedOrders.first)
        #expect(first.type == .stopMarket && first.closePosition && first.side == .buy)
        #expect(try store.exitStates(runID: runID).first?.executor == ExitExecutor.name)
    }

    /// `qt risk halt` before `qt live`: the validator's risk engine starts halted by hand, so the
    /// gate refuses a signal with `riskHalted(manual)`, and the halt is recorded for the session.
    @Test func aHaltedStoreHaltsTheLiveValidator() throws {
        let store = InMemoryTradeStore()
        _ = try RiskControl.halt(reason: "exchange maintenance", who: "ana", time: LiveHarness.start, store: store)
        let composition = try LiveComposition(config: try Self.example("ema-cross-validated.toml"), barInterval: .seconds(60),
                                              start: LiveHarness.time(60), store: store)
        #expect(composition.manualHalt?.detail == "by ana: exchange maintenance")
        // The halt each driver gives the kernel before the first event.
        var gate = composition.parts.gate
        let startRisk = try #require(composition.parts.startRisk)
        let startActions = gate.onRisk(startRisk)
        let signal = Signal(symbol: "ATOMUSDT", side: .long, confidence: nil, time: LiveHarness.time(120), source: "test")
        let evaluation = gate.evaluate(signal, context: EntryContext(time: LiveHarness.time(120), instrument: LiveHarness.atom, price: Price("2.224")!,
                                                                     equity: Money(units: 10_000), availableMargin: Money(units: 10_000),
                                                                     openPositions: [], prices: [:], fundingRate: nil))
        guard case .rejected(_, let reasons) = evaluation.decision else {
            Issue.record("a halted store approved a live entry: \(evaluation.decision)")
            return
        }
        #expect(reasons.contains(.riskHalted(cause: "manual")))
        let recorded = (startActions + evaluation.riskActions).compactMap { action -> RiskEventRecord? in
            if case .record(let event) = action { event } else { nil }
        }
        #expect(recorded.contains { $0.state == "halted" && $0.detail.contains("by ana: exchange maintenance") })
    }
}
