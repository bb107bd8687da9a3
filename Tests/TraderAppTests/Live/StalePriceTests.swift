import Synchronization
import Testing
import TraderApp
import TradingEngine
import TradingModel

/// Stale prices are noticed: per stream and per symbol, from the session's start, and a silence
/// beyond the limit forces a reconnect, not only an alert.
@Suite("LiveRuntime: stale prices")
struct StalePriceTests {
    final class Reconnects: @unchecked Sendable {
        // @unchecked: `reasons` is guarded by `lock`.
        private let lock = Mutex(())
        private var reasons: [String] = []
        func record(_ reason: String) { lock.withLock { _ in reasons.append(reason) } }
        var all: [String] { lock.withLock { _ in reasons } }
    }

    static func tick(_ harness: LiveHarness, at seconds: Int64) async {
        harness.clock.set(LiveHarness.time(seconds))
        await harness.runtime.handle(.timer(LiveHarness.time(seconds)))
    }

    @Test("Stale prices are noticed: a symbol that never sent a price is stale after the limit (counted from the start) and forces a reconnect")
    func neverSentPriceIsStale() async throws {
        let harness = try LiveHarness()
        let reconnects = Reconnects()
        await harness.runtime.setMarketReconnect { reconnects.record($0) }
        try await harness.runtime.reconcile()
        await Self.tick(harness, at: 30)
        #expect(reconnects.all.isEmpty)
        await Self.tick(harness, at: 31)
        #expect(await harness.runtime.staleMarketSymbols == ["ATOMUSDT"])
        #expect(reconnects.all.count == 1 && reconnects.all[0].contains("prices"))
        #expect(await harness.runtime.alerts.contains { $0.kind == "runtime.market_data_silent" })
        // Still silent: asked again only after another limit.
        await Self.tick(harness, at: 40)
        #expect(reconnects.all.count == 1)
        await Self.tick(harness, at: 62)
        #expect(reconnects.all.count == 2)
    }

    @Test("Stale prices are noticed per stream: mark prices keep flowing but klines stop → entries blocked, reconnect forced")
    func klinesSilentWhilePricesFlow() async throws {
        let harness = try LiveHarness()
        let reconnects = Reconnects()
        await harness.runtime.setMarketReconnect { reconnects.record($0) }
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()  // the last kline, at 60 s
        for second in stride(from: Int64(61), through: 211, by: 10) {
            await harness.mark("2.224", at: second)
            await Self.tick(harness, at: second)
        }
        #expect(reconnects.all.contains { $0.contains("klines") } && !reconnects.all.contains { $0.contains("prices") })
        #expect(await harness.runtime.staleMarketSymbols == ["ATOMUSDT"])
    }

    @Test("Stale prices are noticed: a silent mark-price stream with a position open is CRITICAL and forces a reconnect; fresh data clears it")
    func silentWithPositionIsCritical() async throws {
        let harness = try LiveHarness()
        let reconnects = Reconnects()
        await harness.runtime.setMarketReconnect { reconnects.record($0) }
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(await harness.runtime.openPositions.count == 1)
        await Self.tick(harness, at: 91)
        let alert = try #require(await harness.runtime.alerts.last { $0.kind == "runtime.market_data_silent" })
        #expect(alert.severity == .critical)
        #expect(reconnects.all.count == 1)
        await harness.mark("2.225", at: 92)
        #expect(await harness.runtime.staleMarketSymbols.isEmpty)
    }
}
