import Backtest
import Testing
import TradingEngine
import TradingModel

/// The simulated venue on its own: orders in, `ExecutionEvent`s out.
@Suite struct SimulatedExchangeTests {
    static func exchange(slippage: Int64 = 0, latency: SimulatedExchangeSettings.Latency = .none, balance: Money = 10_000) -> SimulatedExchange {
        var venue = SimulatedExchange(instruments: [Scenario.instrument], initialBalance: balance,
                                      settings: SimulatedExchangeSettings(fees: .binanceStandard, slippageBasisPoints: slippage, latency: latency,
                                                                          enforcePrecision: true, defaultLeverage: 10))
        var events: [ExecutionEvent] = []
        venue.onPrice(symbolIndex: 0, price: 100, time: Timestamp(milliseconds: 1), into: &events)
        return venue
    }

    static func order(_ id: String, _ side: OrderSide, _ type: OrderType = .market, quantity: String?, price: String? = nil,
                      trigger: String? = nil, reduceOnly: Bool = false, closePosition: Bool = false) -> OrderRequest {
        OrderRequest(clientOrderID: ClientOrderID(id)!, symbol: Scenario.instrument.symbol, side: side, type: type,
                     quantity: quantity.map { Quantity($0)! }, price: price.map { Price($0)! }, triggerPrice: trigger.map { Price($0)! },
                     triggerSource: .lastPrice, reduceOnly: reduceOnly, closePosition: closePosition)
    }

    /// Submits and, for no-latency orders, processes the current point; returns the events.
    static func send(_ order: OrderRequest, to venue: inout SimulatedExchange) -> [ExecutionEvent] {
        var events: [ExecutionEvent] = []
        venue.submit(order, symbolIndex: 0, time: venue.now, into: &events)
        if venue.needsReprocess { venue.reprocess(symbolIndex: 0, into: &events) }
        return events
    }

    static func rejection(_ events: [ExecutionEvent]) -> OrderRejection? {
        for event in events { if case .rejected(_, _, let rejection, _) = event { return rejection } }
        return nil
    }

    @Test func aReduceOnlyOrderThatWouldFlipThePositionIsRejected() throws {
        var venue = Self.exchange()
        _ = Self.send(Self.order("open", .buy, quantity: "1"), to: &venue)
        #expect(venue.ledger.slots[0]?.quantity == 1)
        // Selling 2 reduce-only against a long of 1 would flip it to a short of 1.
        let rejection = try #require(Self.rejection(Self.send(Self.order("flip", .sell, quantity: "2", reduceOnly: true), to: &venue)))
        #expect(rejection.reason == .reduceOnlyRejected)
        #expect(rejection.code == -2022)
        #expect(venue.ledger.slots[0]?.side == .long && venue.ledger.slots[0]?.quantity == 1)
        // Buying reduce-only would increase the long: rejected too.
        #expect(Self.rejection(Self.send(Self.order("increase", .buy, quantity: "0.5", reduceOnly: true), to: &venue))?.reason == .reduceOnlyRejected)
        // A reduce-only sell of 0.4 is a partial close: accepted and filled.
        let events = Self.send(Self.order("partial", .sell, quantity: "0.4", reduceOnly: true), to: &venue)
        #expect(Self.rejection(events) == nil)
        #expect(venue.ledger.slots[0]?.quantity == Quantity("0.6")!)
    }

    @Test func filterViolationsAreRejectedWithBinanceReasons() {
        var venue = Self.exchange()
        // 0.04 × 100 = 4 USDT < 5 min notional (-4164).
        #expect(Self.rejection(Self.send(Self.order("small", .buy, quantity: "0.04"), to: &venue))?.code == -4164)
        // 0.0005 is off the 0.001 step (-1111).
        #expect(Self.rejection(Self.send(Self.order("step", .buy, quantity: "1.0005"), to: &venue))?.reason == .precision)
        // A limit price off the 0.01 tick.
        #expect(Self.rejection(Self.send(Self.order("tick", .buy, .limit, quantity: "1", price: "99.995"), to: &venue))?.reason == .precision)
        // 1100 × 100 = 110,000 notional at 10x needs 11,000 margin (+ 55 fee) > 10,000 available (-2019).
        #expect(Self.rejection(Self.send(Self.order("big", .buy, quantity: "1100"), to: &venue))?.reason == .insufficientMargin)
        // A reduce-only order with no position.
        #expect(Self.rejection(Self.send(Self.order("nothing", .sell, quantity: "1", reduceOnly: true), to: &venue))?.code == -2022)
    }

    @Test func aStopThatIsAlreadyCrossedWouldImmediatelyTrigger() {
        var venue = Self.exchange()
        _ = Self.send(Self.order("open", .buy, quantity: "1"), to: &venue)
        // A long's sell stop at 101 with the price at 100 is already crossed (-2021).
        let events = Self.send(Self.order("stop", .sell, .stopMarket, quantity: nil, trigger: "101", closePosition: true), to: &venue)
        #expect(Self.rejection(events)?.reason == .wouldImmediatelyTrigger)
        #expect(Self.rejection(events)?.code == -2021)
    }

    @Test func aClosePositionStopTriggersAndClosesEverything() {
        var venue = Self.exchange()
        _ = Self.send(Self.order("open", .buy, quantity: "2"), to: &venue)
        #expect(Self.rejection(Self.send(Self.order("stop", .sell, .stopMarket, quantity: nil, trigger: "95", closePosition: true), to: &venue)) == nil)
        var events: [ExecutionEvent] = []
        venue.onPrice(symbolIndex: 0, price: 96, time: Timestamp(milliseconds: 2), into: &events)
        #expect(events.isEmpty)
        venue.onPrice(symbolIndex: 0, price: 95, time: Timestamp(milliseconds: 3), into: &events)
        #expect(events.contains(.triggered(ClientOrderID("stop")!, symbol: Scenario.instrument.symbol, time: Timestamp(milliseconds: 3))))
        guard case .filled(let fill)? = events.last else { Issue.record("expected a fill"); return }
        // Whole position (2) sold at the trigger point 95; taker fee 190 × 0.0005 = 0.095.
        #expect(fill.quantity == 2 && fill.price == 95)
        #expect(fill.fee == Money("0.095")!)
        #expect(venue.ledger.slots[0] == nil)
    }

    @Test func aRestingLimitFillsAtItsPriceAsMaker() {
        var venue = Self.exchange()
        #expect(Self.rejection(Self.send(Self.order("bid", .buy, .limit, quantity: "1", price: "99"), to: &venue)) == nil)
        var events: [ExecutionEvent] = []
        // Price gaps to 98.5: the resting bid at 99 fills at 99 (maker 0.02%: 99 × 0.0002 = 0.0198).
        venue.onPrice(symbolIndex: 0, price: Price("98.5")!, time: Timestamp(milliseconds: 2), into: &events)
        guard case .filled(let fill)? = events.last else { Issue.record("expected a fill"); return }
        #expect(fill.price == 99 && fill.liquidity == .maker)
        #expect(fill.fee == Money("0.0198")!)
    }

    @Test func takerSlippageIsAdverse() {
        var venue = Self.exchange(slippage: 10)
        // Buy at 100 with 10 bps: 100 × 1.001 = 100.1.
        let events = Self.send(Self.order("buy", .buy, quantity: "1"), to: &venue)
        guard case .filled(let fill)? = events.last else { Issue.record("expected a fill"); return }
        #expect(fill.price == Price("100.1")!)
    }

    @Test func withLatencyAnOrderActsFromTheNextPricePoint() {
        var venue = Self.exchange(latency: .nextPricePoint)
        let events = Self.send(Self.order("buy", .buy, quantity: "1"), to: &venue)
        #expect(!events.contains { if case .filled = $0 { true } else { false } })
        var later: [ExecutionEvent] = []
        venue.onPrice(symbolIndex: 0, price: 101, time: Timestamp(milliseconds: 2), into: &later)
        guard case .filled(let fill)? = later.last else { Issue.record("expected a fill"); return }
        #expect(fill.price == 101)
    }
}
