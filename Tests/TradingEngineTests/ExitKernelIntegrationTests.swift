import Testing
import TradingEngine
import TradingModel

/// Signals SHORT on the first bar.
struct ShortOnceStrategy: TradingStrategy {
    var fired = false
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        guard !fired else { return nil }
        fired = true
        return Signal(symbol: "ATOMUSDT", side: .short, confidence: nil, time: closeTime, source: "test")
    }
}

/// Approves 446.03 at 2x with the ExitBrain plan.
struct BrainGate: EntryGate {
    let brain = ExitFixtures.brain()
    mutating func observe(_ event: MarketEvent) {}
    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] { [] }
    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        switch brain.plan(symbol: signal.symbol, side: signal.side, entryPrice: context.price, quantity: Quantity("446.03")!,
                          leverage: 2, instrument: context.instrument) {
        case .success(let plan): EntryEvaluation(.approved(ApprovedEntry(signal: signal, quantity: plan.quantity, leverage: 2, plan: plan)))
        case .failure(let rejection): EntryEvaluation(.rejected(signal: signal, reasons: [.exitPlanRejected(rejection.message)]))
        }
    }
}

@Suite("ExitExecutor hosted by the TradingKernel")
struct ExitKernelIntegrationTests {
    typealias Kernel = TradingKernel<ShortOnceStrategy, BrainGate, ExitExecutor>

    /// The kernel after the ATOM short's entry filled at 2.224 (60 s); `actions` holds what the fill caused.
    static func shortFilled(actions: inout [KernelAction]) throws -> Kernel {
        var kernel = Kernel(
            instruments: [ExitFixtures.atom], strategies: [ShortOnceStrategy()], gate: BrainGate(), initialBalance: Money(units: 10_000),
            equitySampleInterval: .seconds(3600), runTag: "it",
            makeExitOwner: { context in
                ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument, settings: ExitSettings(),
                             positionKey: context.positionKey, orderIDs: context.orderIDs)
            })
        let bar = Candle(openTime: ExitFixtures.start, open: Price("2.22")!, high: Price("2.23")!, low: Price("2.21")!, close: Price("2.224")!, volume: Quantity(units: 1000))
        kernel.onBar(bar, interval: .seconds(60), closeTime: ExitFixtures.time(60), symbolIndex: 0, into: &actions)
        kernel.onPrice(Price("2.224")!, time: ExitFixtures.time(60), source: .barPath, symbolIndex: 0, into: &actions)
        let entry = try #require(actions.compactMap { if case .submit(let order) = $0 { order } else { nil } }.first)
        actions.removeAll()
        let fee = Price("2.224")!.notional(Quantity("446.03")!, .nearest).times(Rate("0.0005")!, .nearest)
        kernel.onExecution(.filled(Fill(clientOrderID: entry.clientOrderID, symbol: "ATOMUSDT", side: .sell, price: Price("2.224")!,
                                        quantity: Quantity("446.03")!, fee: fee, liquidity: .taker, time: ExitFixtures.time(60))),
                           symbolIndex: 0, into: &actions)
        return kernel
    }

    @Test("ATOM short: entry fill → backstop at the fill → stop crossed → reduce-only close → trade closed as stop_loss")
    func atomThroughKernel() throws {
        var actions: [KernelAction] = []
        var kernel = try Self.shortFilled(actions: &actions)
        #expect(kernel.watchedLevels(symbolIndex: 0) == WatchedPriceLevels(stop: Price("2.250")!, target: Price("2.201")!))
        // The kernel starts the new owner at the fill (a timer tick): the backstop goes out with it.
        let backstop = try #require(actions.compactMap { if case .submit(let order) = $0 { order } else { nil } }.first)
        #expect(backstop.closePosition && backstop.type == .stopMarket && backstop.triggerPrice == Price("2.256")!)
        actions.removeAll()
        kernel.onExecution(.accepted(backstop.clientOrderID, symbol: "ATOMUSDT", venueOrderID: nil, time: ExitFixtures.time(61)), symbolIndex: 0, into: &actions)
        actions.removeAll()
        kernel.onPrice(Price("2.240")!, time: ExitFixtures.time(61), source: .barPath, symbolIndex: 0, into: &actions)
        #expect(!actions.contains { if case .submit = $0 { true } else { false } })
        kernel.onPrice(Price("2.2507")!, time: ExitFixtures.time(62), source: .barPath, symbolIndex: 0, into: &actions)
        let close = try #require(actions.compactMap { if case .submit(let order) = $0 { order } else { nil } }.first)
        #expect(close.reduceOnly && close.type == .market && close.side == .buy && close.quantity == Quantity("446.03")!)
        actions.removeAll()
        let exitFee = Price("2.2507")!.notional(Quantity("446.03")!, .nearest).times(Rate("0.0005")!, .nearest)
        kernel.onExecution(.filled(Fill(clientOrderID: close.clientOrderID, symbol: "ATOMUSDT", side: .buy, price: Price("2.2507")!,
                                        quantity: Quantity("446.03")!, fee: exitFee, liquidity: .taker, time: ExitFixtures.time(62))),
                           symbolIndex: 0, into: &actions)
        let trade = try #require(actions.compactMap { if case .tradeClosed(let trade) = $0 { trade } else { nil } }.first)
        #expect(trade.exitReason == .stopLoss)
        #expect(trade.grossPnL == Money("-11.909001")!)
        // fees 0.49598536 + 0.50193986 = 0.99792522; net −12.90692622
        #expect(trade.netPnL == Money("-12.90692622")!)
        #expect(actions.contains(.cancel(backstop.clientOrderID, symbol: "ATOMUSDT")))
    }

    @Test("A live price goes through the kernel whole: the owner measures level → order from our receive time (180 ms), not the venue's")
    func receiveTimeReachesTheOwner() throws {
        var actions: [KernelAction] = []
        var kernel = try Self.shortFilled(actions: &actions)
        actions.removeAll()
        // The mark crossing the 2.250 stop happened at 62 s and reached us 180 ms later.
        let received = Timestamp(milliseconds: ExitFixtures.time(62).milliseconds + 180)
        kernel.onPrice(PriceEvent(symbol: "ATOMUSDT", price: Price("2.2507")!, source: .markPrice, eventTime: ExitFixtures.time(62), receiveTime: received),
                       symbolIndex: 0, into: &actions)
        let close = try #require(actions.compactMap { if case .submit(let order) = $0 { order } else { nil } }.first)
        #expect(close.reduceOnly && close.type == .market)
        let owner = try #require(kernel.symbols[0].owner)
        #expect(owner.metrics.levelToOrderMilliseconds == [180])
        #expect(kernel.exitStatus(symbolIndex: 0)?.lastEventAt == received)
        #expect(kernel.exitStatus(symbolIndex: 0)?.lastPriceEventAt == ExitFixtures.time(62))
    }
}
