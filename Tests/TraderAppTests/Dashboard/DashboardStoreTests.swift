import Backtest
import Dashboard
import Foundation
import Storage
import Testing
import TradingConfig
import TradingEngine
import TradingModel
import TradingTestSupport
@testable import TraderApp

/// The store-only console (`qt dashboard --db FILE`) and `[dashboard]` in the configuration.
@Suite("Dashboard on a store alone, and its configuration")
struct DashboardStoreTests {
    static let time = Timestamp(iso8601: "2026-03-02T12:00:00Z")!

    /// A store with one saved ATOMUSDT short whose backstop rests (or not yet).
    static func storeWithShort(backstopAccepted: Bool) throws -> (SQLiteTradeStore, String) {
        let directory = Integration.temporaryDirectory("dashboard")
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite", durability: .relaxed)
        let run = try store.beginRun(RunRecord(kind: .paper, startedAt: time, configHash: "sha256:0", detail: "ema-cross/validator/exit-engine test"))
        let instrument = try #require(BundledInstruments.instrument("ATOMUSDT"))
        let plan = try ExitBrain(settings: ExitSettings()).plan(symbol: "ATOMUSDT", side: .short, entryPrice: Price("2.224")!, quantity: Quantity("449.64")!,
                                                                leverage: 5, instrument: instrument).get()
        let position = Position(symbol: "ATOMUSDT", side: .short, quantity: Quantity("449.64")!, entryPrice: Price("2.224")!, leverage: 5,
                                isolatedMargin: Money("199.999872")!, openedAt: time)
        var executor = ExitExecutor(plan: plan, position: position, instrument: instrument, settings: ExitSettings(), positionKey: "ATOMUSDT-qt-1-en",
                                    orderIDs: ClientOrderIDGenerator(runTag: "p1"))
        let placed = executor.start(at: time)
        if backstopAccepted, let backstop = placed.compactMap({ action -> OrderRequest? in if case .submit(let order) = action { order } else { nil } }).first {
            _ = executor.on(.execution(.accepted(backstop.clientOrderID, symbol: "ATOMUSDT", venueOrderID: "1", time: time)))
        }
        let snapshot = executor.snapshot
        try store.saveExitState(ExitStateRecord(runID: run, positionKey: snapshot.positionKey, symbol: snapshot.symbol, executor: snapshot.executor,
                                                stateJSON: snapshot.stateJSON, lastPriceEventAt: time, updatedAt: time))
        return (store, directory)
    }

    static func source(_ store: any TradeStore, now: Timestamp = time.advanced(by: .seconds(5))) -> StoreDashboardSource {
        StoreDashboardSource(store: store, observer: nil, label: "store qt.sqlite", clock: ManualClock(now), staleAfter: .seconds(10), model: nil,
                             storeProbe: (store as? SQLiteTradeStore).map { sqlite in { @Sendable in try sqlite.checkWritable() } })
    }

    @Test("store-only: the saved position with its stop and resting backstop; without a resting backstop it is unprotected; an old price event is stale")
    func positionsFromSavedExitStates() async throws {
        let (store, directory) = try Self.storeWithShort(backstopAccepted: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let row = try #require(try await Self.source(store).positions().first)
        #expect(row.symbol == "ATOMUSDT" && row.side == "SHORT" && row.quantity == "449.64" && row.entryPrice == "2.224")
        #expect(row.stopPrice == "2.25" && row.backstopPrice == "2.256" && !row.unprotected && !row.stale)
        #expect(row.markPrice == nil && row.unrealizedPnl == nil)
        #expect(try await Self.source(store, now: Self.time.advanced(by: .seconds(60))).positions().first?.stale == true)

        let (bare, other) = try Self.storeWithShort(backstopAccepted: false)
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(try await Self.source(bare).positions().first?.unprotected == true)
    }

    @Test("store-only readiness: ready when the store takes a write; a store that cannot be written is not ready, with the reason")
    func storeWritableIsChecked() async throws {
        let (store, directory) = try Self.storeWithShort(backstopAccepted: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ready = await Self.source(store).readiness()
        #expect(ready.ready && ready.checks.map(\.name) == ["store_writable", "session"])
        struct Locked: Error, CustomStringConvertible { var description: String { "database is locked" } }
        let failing = StoreDashboardSource(store: store, observer: nil, label: "store", clock: ManualClock(Self.time), staleAfter: .seconds(10), model: nil,
                                           storeProbe: { throw Locked() })
        let notReady = await failing.readiness()
        #expect(!notReady.ready && notReady.reasons == "store_writable: the store cannot be written: database is locked")
    }

    @Test("the model section: ema-cross names its rule; ml-ensemble without a readable report says so instead of showing figures")
    func modelSection() throws {
        let config = try AppConfig(from: ConfigDocument.parse(text: "[execution]\npolicy = \"exit-engine\"\n[strategy]\nname = \"ema-cross\"\nentry_gate = \"validator\"\n",
                                                              file: "app.toml"))
        let ema = try #require(DashboardModelInfo.view(strategy: config.strategy))
        #expect(ema.name == "ema-cross" && ema.figures.isEmpty && ema.detail.hasPrefix("rule strategy: EMA "))
        #expect(DashboardModelInfo.view(strategy: nil) == nil)
        let missing = DashboardModelInfo.mlView(directory: "/nonexistent/model", threshold: 0.6, gate: "validator")
        #expect(missing.figures.isEmpty && missing.detail.contains("its out-of-sample report cannot be read"))
    }

    @Test("[dashboard]: defaults; a non-loopback host needs TLS or allow_insecure_remote; a credentials file is required to start")
    func configuration() throws {
        let base = "[execution]\npolicy = \"exit-engine\"\n"
        let defaults = try AppConfig(from: ConfigDocument.parse(text: base, file: "app.toml")).dashboard
        #expect(defaults == DashboardSettings.defaults && defaults.host == "127.0.0.1" && !defaults.enabled)
        #expect(throws: ConfigErrorList.self) {
            try AppConfig(from: ConfigDocument.parse(text: base + "[dashboard]\nhost = \"0.0.0.0\"\n", file: "app.toml"))
        }
        let insecure = try AppConfig(from: ConfigDocument.parse(text: base + "[dashboard]\nhost = \"0.0.0.0\"\nallow_insecure_remote = true\n",
                                                                file: "app.toml")).dashboard
        #expect(try insecure.checkBind()?.hasPrefix("warning:") == true)
        var settings = DashboardSettings.defaults
        settings.credentialsFile = "/nonexistent/qt-dashboard.credentials"
        #expect(throws: DashboardError("no dashboard credentials at /nonexistent/qt-dashboard.credentials: set a password first with `qt dashboard set-password`")) {
            _ = try DashboardServices(settings: settings, store: InMemoryTradeStore(), label: "test", strategy: nil, clock: ManualClock(), inSession: true,
                                      priceSource: .markPrice)
        }
    }
}
