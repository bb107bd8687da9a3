import Testing
import TradingEngine
import TradingModel

/// The kernel as a state machine: feed events, assert the actions.
@Suite struct KernelTests {
    /// Signals LONG on the first bar it sees.
    struct OneSignal: TradingStrategy {
        var fired = false
        mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
            defer { fired = true }
            return fired ? nil : Signal(symbol: TestInstrument.symbol, side: .long, confidence: nil, time: closeTime, source: "test")
        }
    }

    /// An exit owner that (wrongly) answers every price with a non-reduce-only order.
    struct RogueOwner: PositionExitOwner {
        var executorName: String { "rogue" }
        var ids: ClientOrderIDGenerator
        mutating func on(_ event: ExitEvent) -> [ExitAction] {
            guard case .price = event else { return [] }
            return [.submit(OrderRequest(clientOrderID: ids.next(.exit), symbol: TestInstrument.symbol, side: .buy, type: .market, quantity: 1))]
        }
    }

    static let gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 2, stopMove: Rate("0.01")!, targetMove: Rate("0.02")!,
                                                             roundQuantityToStep: true))

    static func candle(_ price: Price, minute: Int64) -> Candle {
        Candle(openTime: Timestamp(milliseconds: minute * 60_000), open: price, high: price, low: price, close: price, volume: 1)
    }

    @Test func aSignalBecomesADecisionLeverageAndAMarketEntryAtTheNextPrice() {
        var kernel = TradingKernel<OneSignal, FixedNotionalEntryGate, RogueOwner>(
            instruments: [TestInstrument.instrument], strategies: [OneSignal()], gate: Self.gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { RogueOwner(ids: $0.orderIDs) })
        var actions: [KernelAction] = []
        kernel.onBar(Self.candle(100, minute: 0), interval: .seconds(60), closeTime: Timestamp(milliseconds: 60_000), symbolIndex: 0, into: &actions)
        #expect(actions.isEmpty)
        kernel.onPrice(Price("99.99")!, time: Timestamp(milliseconds: 60_000), source: .barPath, symbolIndex: 0, into: &actions)
        // 1000 / 99.99 = 10.001000… → floored to the 0.001 step = 10.001.
        #expect(actions.count == 3)
        guard case .decision(.approved(let entry), _, _) = actions[0] else { Issue.record("expected an approval"); return }
        #expect(entry.quantity == Quantity("10.001")!)
        #expect(actions[1] == .setLeverage(2, symbol: TestInstrument.symbol))
        #expect(actions[2] == .submit(OrderRequest(clientOrderID: ClientOrderID("qt-k-1-en")!, symbol: TestInstrument.symbol, side: .buy,
                                                   type: .market, quantity: Quantity("10.001")!)))
    }

    @Test func anOwnerOrderThatIsNotReduceOnlyIsRefused() {
        var kernel = TradingKernel<OneSignal, FixedNotionalEntryGate, RogueOwner>(
            instruments: [TestInstrument.instrument], strategies: [OneSignal()], gate: Self.gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { RogueOwner(ids: $0.orderIDs) })
        var actions: [KernelAction] = []
        kernel.onBar(Self.candle(100, minute: 0), interval: .seconds(60), closeTime: Timestamp(milliseconds: 60_000), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: Timestamp(milliseconds: 60_000), source: .barPath, symbolIndex: 0, into: &actions)
        actions.removeAll()
        // The entry fills: the owner is created (the creating fill is not routed to it).
        let fill = Fill(clientOrderID: ClientOrderID("qt-k-1-en")!, symbol: TestInstrument.symbol, side: .buy, price: 100, quantity: 10,
                        fee: Money("0.4")!, liquidity: .taker, time: Timestamp(milliseconds: 60_000))
        kernel.onExecution(.filled(fill), symbolIndex: 0, into: &actions)
        #expect(actions.isEmpty)
        #expect(kernel.hasOwner(at: 0))
        #expect(kernel.portfolio.slots[0]?.quantity == 10)
        // The owner answers a price with a BUY that is not reduce-only: refused, critical alert, nothing sent.
        kernel.onPrice(101, time: Timestamp(milliseconds: 61_000), source: .barPath, symbolIndex: 0, into: &actions)
        #expect(actions.count == 1)
        guard case .alert(let alert) = actions[0] else { Issue.record("expected an alert"); return }
        #expect(alert.severity == .critical && alert.kind == "kernel.owner_order_not_reduce_only")
    }

    @Test func aSameSideSignalWhilePositionedIsIgnored() {
        struct TwoLongs: TradingStrategy {
            var bar = 0
            mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
                defer { bar += 1 }
                return bar < 2 ? Signal(symbol: TestInstrument.symbol, side: .long, confidence: nil, time: closeTime, source: "test") : nil
            }
        }
        var kernel = TradingKernel<TwoLongs, FixedNotionalEntryGate, RogueOwner>(
            instruments: [TestInstrument.instrument], strategies: [TwoLongs()], gate: Self.gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { RogueOwner(ids: $0.orderIDs) })
        var actions: [KernelAction] = []
        kernel.onBar(Self.candle(100, minute: 0), interval: .seconds(60), closeTime: Timestamp(milliseconds: 60_000), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: Timestamp(milliseconds: 60_000), source: .barPath, symbolIndex: 0, into: &actions)
        let fill = Fill(clientOrderID: ClientOrderID("qt-k-1-en")!, symbol: TestInstrument.symbol, side: .buy, price: 100, quantity: 10,
                        fee: .zero, liquidity: .taker, time: Timestamp(milliseconds: 60_000))
        kernel.onExecution(.filled(fill), symbolIndex: 0, into: &actions)
        actions.removeAll()
        kernel.onBar(Self.candle(100, minute: 1), interval: .seconds(60), closeTime: Timestamp(milliseconds: 120_000), symbolIndex: 0, into: &actions)
        #expect(kernel.hasPendingSignal(at: 0))
        kernel.onPrice(100, time: Timestamp(milliseconds: 120_000), source: .lastTrade, symbolIndex: 0, into: &actions)
        // No second decision or entry: only the rogue owner's refused order shows up.
        #expect(!actions.contains { if case .decision = $0 { true } else { false } })
        #expect(!kernel.hasPendingSignal(at: 0))
    }
}
