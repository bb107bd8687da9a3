import Foundation
import Testing
import TradingConfig
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// One price setting, `[exit] price_source`: the stream live trading acts on, the prices the
/// exit executor takes, and the `workingType` of its exchange backstop all follow it. The old
/// keys, which could disagree (and with "last" in one and "mark" in the other left the executor
/// ignoring every price), are refused with what to write instead.
@Suite("One price setting: [exit] price_source")
struct OnePriceSourceTests {
    /// The validated example with `[exit] price_source = "last"` (and no other price key).
    static func lastPriceConfig() throws -> AppConfig {
        let text = try String(contentsOfFile: LiveCompositionTests.root + "/examples/ema-cross-validated.toml", encoding: .utf8)
            .replacingOccurrences(of: "price_source = \"mark\"", with: "price_source = \"last\"")
        return try AppConfig(from: try ConfigDocument.parse(text: text, file: "last.toml"))
    }

    @Test func lastPricesDriveTheStreamTheExecutorAndTheBackstop() async throws {
        let composition = try LiveComposition(config: try Self.lastPriceConfig(), barInterval: .seconds(60), start: LiveHarness.start,
                                              store: InMemoryTradeStore())
        #expect(composition.priceSource == .lastTrade)
        let clock = ManualClock(LiveHarness.start)
        let client = FakeExecutionClient(inbox: ExecutionInbox(), clock: clock)
        // 100 ATOM short at 2.224, 5x, found at the venue without a stop: adopted and protected.
        client.seed(positions: [PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity(units: -100), entryPrice: Price("2.224")!, leverage: 5,
                                                 isolatedMargin: Money("44.48")!, liquidationPrice: nil)], orders: [])
        let store = InMemoryTradeStore()
        let runID = try store.beginRun(RunRecord(kind: .live, startedAt: LiveHarness.start, configHash: "test", detail: "price source test"))
        let runtime = try composition.makeRuntime(instruments: [LiveHarness.atom], client: client, store: store, runID: runID,
                                                  alerting: RecordingAlerting(), clock: clock)
        try await runtime.reconcile()
        let backstop = try #require(client.submittedOrders.first)
        #expect(backstop.type == .stopMarket && backstop.closePosition && backstop.triggerSource == .lastPrice)
        // A last trade far above the short's stop closes it: the executor takes last-trade prices.
        clock.set(LiveHarness.time(1))
        await runtime.handle(.market(.trade(Trade(symbol: "ATOMUSDT", price: Price("2.5")!, quantity: Quantity(units: 1), buyerIsMaker: false,
                                                  tradeTime: LiveHarness.time(1), receiveTime: LiveHarness.time(1)))))
        #expect(client.submittedOrders.contains { $0.type == .market && $0.reduceOnly && $0.side == .buy })
    }

    @Test(arguments: [
        ("[execution]\npolicy = \"exit-engine\"\ntrigger_price_source = \"last\"\n", "execution.trigger_price_source"),
        ("[execution]\npolicy = \"exit-engine\"\n[exit]\nbackstop_trigger_source = \"last\"\n", "exit.backstop_trigger_source"),
    ])
    func theOldKeysAreRefusedNamingTheOneSetting(_ text: String, _ key: String) throws {
        do {
            _ = try AppConfig(from: try ConfigDocument.parse(text: text, file: "old.toml"))
            Issue.record("the old key \(key) was accepted")
        } catch let list as ConfigErrorList {
            #expect(list.errors.count == 1)
            #expect(list.errors.first?.key == key)
            #expect(list.errors.first?.message.contains("[exit] price_source") == true, "\(list.errors)")
        }
    }
}
