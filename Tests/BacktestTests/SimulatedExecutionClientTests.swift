import Backtest
import Testing
import TradingEngine
import TradingModel

/// The async port over the simulated venue behaves like a venue: accepted orders fill at the
/// current price, refusals throw with their Binance reason, events arrive on the stream.
@Suite struct SimulatedExecutionClientTests {
    static func client() -> SimulatedExecutionClient {
        let exchange = SimulatedExchange(instruments: [Scenario.instrument], initialBalance: 10_000,
                                         settings: SimulatedExchangeSettings(fees: .binanceStandard, slippageBasisPoints: 0, latency: .none,
                                                                             enforcePrecision: true, defaultLeverage: 10))
        let client = SimulatedExecutionClient(exchange: exchange, clock: ManualClock(Timestamp(milliseconds: 1_000)))
        client.onPrice(100, symbol: Scenario.instrument.symbol)
        return client
    }

    @Test func aMarketOrderFillsAndIsReportedOnTheStream() async throws {
        let client = Self.client()
        let stream = client.executionEvents()
        let snapshot = try await client.submit(SimulatedExchangeTests.order("buy-1", .buy, quantity: "2"))
        #expect(snapshot.status == .filled && snapshot.filledQuantity == 2 && snapshot.averagePrice == 100)
        var iterator = stream.makeAsyncIterator()
        guard case .accepted? = await iterator.next(), case .filled(let fill)? = await iterator.next() else {
            Issue.record("expected accepted then filled")
            return
        }
        #expect(fill.quantity == 2)
        let positions = try await client.positions()
        #expect(positions.first?.signedQuantity == 2)
    }

    @Test func aRefusalThrowsWithTheVenueReason() async throws {
        let client = Self.client()
        do {
            _ = try await client.submit(SimulatedExchangeTests.order("ro", .sell, quantity: "1", reduceOnly: true))
            Issue.record("expected a rejection")
        } catch {
            guard case .rejected(let rejection) = error.kind else { Issue.record("wrong kind \(error.kind)"); return }
            #expect(rejection.reason == .reduceOnlyRejected && error.code == -2022)
        }
    }
}
