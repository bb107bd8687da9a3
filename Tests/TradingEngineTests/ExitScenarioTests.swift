import Testing
import TradingEngine
import TradingModel

/// The stories the exit engine exists for.
@Suite("Exit engine scenarios")
struct ExitScenarioTests {
    typealias F = ExitFixtures

    @Test("ATOMUSDT short 446.03 @ 2.224, 2x, 1.20% stop: closed at market on the event at 2.2507")
    func atomShortStopsOut() throws {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        #expect(plan.stopPrice == Price("2.250")!)   // 2.224 × 1.012 = 2.250688 → down to the tick (buys sooner)
        var executor = F.executor(plan, F.atom)
        let started = executor.start(at: F.time(0))
        let backstop = try #require(started.submitted.first)
        _ = executor.on(F.accepted(backstop.clientOrderID, "ATOMUSDT", at: 0.2))

        #expect(executor.on(F.price("ATOMUSDT", "2.224", at: 1)) == [])
        #expect(executor.on(F.price("ATOMUSDT", "2.240", at: 2)) == [])
        let crossing = executor.on(F.price("ATOMUSDT", "2.2507", at: 3))
        let close = try #require(crossing.submitted.first)
        #expect(crossing.submitted.count == 1 && crossing.saves == 1)
        #expect(close == OrderRequest(clientOrderID: close.clientOrderID, symbol: "ATOMUSDT", side: .buy, type: .market,
                                      quantity: Quantity("446.03")!, reduceOnly: true))
        #expect(close.clientOrderID.value == "qt-t-2-sl")

        let filled = executor.on(F.fill(close.clientOrderID, "ATOMUSDT", .buy, price: "2.2507", quantity: "446.03", at: 3.05))
        #expect(filled.closedSlices.map(\.reason) == [.stopLoss])
        #expect(filled.finishedReason == .stopLoss)
        #expect(filled.cancelled == [backstop.clientOrderID], "the backstop is cancelled once flat")

        // Realized PnL before fees = −446.03 × (2.2507 − 2.224) = −446.03 × 0.0267 = −11.909001 USDT
        // (the post-mortem's "−$6.00" was wrong).
        // Fees (taker 0.05%): entry 446.03 × 2.224 = 991.97072 → 0.49598536; exit 446.03 × 2.2507 = 1003.879721
        // → 0.50193986. Net = −11.909001 − 0.49598536 − 0.50193986 = −12.90692622 USDT.
        // The executor sees only the exit fill's fee.
        #expect(executor.metrics.realizedPnL == Money("-11.909001")!)
        #expect(executor.metrics.fees == Money("0.50193986")!)
        #expect(executor.metrics.realizedPnL - Money("0.49598536")! - executor.metrics.fees == Money("-12.90692622")!)
        #expect(executor.metrics.stopHits == 1 && executor.metrics.exitReason == .stopLoss)
        #expect(executor.metrics.levelToOrderMilliseconds == [0])

        #expect(executor.on(F.price("ATOMUSDT", "2.262", at: 4)) == [], "finished: nothing more to do")
    }

    @Test("LINKUSDT short 75.87 @ 13.184 at 13.24 (−0.42%) stays open with its protection intact")
    func linkStaysOpen() throws {
        let plan = F.plan(F.link, .short, entry: "13.184", quantity: "75.87", leverage: 10)
        #expect(plan.stopPrice == Price("13.342")!)       // 13.184 × 1.012 = 13.342208 → down
        #expect(plan.backstopPrice == Price("13.381")!)   // 13.342 + 13.184 × 0.003 = 13.381552 → down
        var executor = F.executor(plan, F.link)
        let backstop = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(backstop.clientOrderID, "LINKUSDT", at: 0.3))

        #expect(executor.on(F.price("LINKUSDT", "13.20", at: 1)) == [])
        #expect(executor.on(F.price("LINKUSDT", "13.24", at: 2)) == [])
        #expect(executor.on(.timer(F.time(30))) == [], "a resting backstop is not re-placed")

        let status = executor.status
        #expect(status.phase == .active && status.remainingQuantity == Quantity("75.87")!)
        #expect(status.restingBackstopPrice == Price("13.381")!)
        #expect(status.stopPrice == Price("13.342")!)
        #expect(status.lastPriceEventAt == F.time(2))
        #expect(status.executor == "tick-exit-executor")
        // priceMovePct = −(13.24 − 13.184) / 13.184 × 100 = −0.4248%
        let position = Position(symbol: "LINKUSDT", side: .short, quantity: Quantity("75.87")!, entryPrice: Price("13.184")!, leverage: 10,
                                isolatedMargin: Money("100.02700")!, openedAt: F.time(0))
        #expect(abs(position.returns(at: Price("13.24")!, equity: nil).priceMovePct + 0.4248) < 0.0001)
    }

    @Test("process dead: the backstop rests on the exchange, and the watchdog force-closes when it sees the later state")
    func deadProcess() throws {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom)
        let backstop = try #require(executor.start(at: F.time(0)).submitted.first)
        // What must rest on the venue so the exchange closes the position without us:
        #expect(backstop.type == .stopMarket && backstop.side == .buy)
        #expect(backstop.closePosition && backstop.quantity == nil)
        #expect(backstop.triggerPrice == Price("2.256")! && backstop.triggerSource == .markPrice)
        _ = executor.on(F.accepted(backstop.clientOrderID, "ATOMUSDT", at: 0.2))
        let lastStatus = executor.status          // the last state the executor saved before it died

        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        #expect(watchdog.on(.status(lastStatus)) == [])
        // 2.2507 is beyond the stop 2.250 but within the 0.20% tolerance (2.250 + 0.004448 = 2.254448): no alarm yet.
        #expect(watchdog.on(.price(PriceEvent(symbol: "ATOMUSDT", price: Price("2.2507")!, source: .markPrice, eventTime: F.time(3), receiveTime: F.time(3)))) == [])
        let fired = watchdog.on(.price(PriceEvent(symbol: "ATOMUSDT", price: Price("2.262")!, source: .markPrice, eventTime: F.time(30), receiveTime: F.time(30))))
        guard case .alert(let alert) = fired.first, case .forceClose(let order) = fired[1], case .incident(let incident) = fired[2] else {
            Issue.record("expected alert, force-close and incident, got \(fired)")
            return
        }
        #expect(alert.severity == .critical && alert.kind == "watchdog.executor_silent")
        #expect(order == OrderRequest(clientOrderID: order.clientOrderID, symbol: "ATOMUSDT", side: .buy, type: .market,
                                      quantity: Quantity("446.03")!, reduceOnly: true))
        #expect(incident.kind == .executorSilent && incident.price == Price("2.262")! && incident.executor == "tick-exit-executor")
        #expect(watchdog.on(.timer(F.time(31))) == [], "force-closes are spaced")
        let again = watchdog.on(.timer(F.time(36)))
        let kinds = again.compactMap { if case .incident(let incident) = $0 { incident.kind } else { nil } }
        #expect(kinds == [.beyondStop, .executorSilent], "beyond stop for ≥ 2 s now too")

        // When the process is back, the venue's reports of the backstop close finish the executor.
        _ = executor.on(.execution(.triggered(backstop.clientOrderID, symbol: "ATOMUSDT", time: F.time(5))))
        let closed = executor.on(F.fill(backstop.clientOrderID, "ATOMUSDT", .buy, price: "2.2565", quantity: "446.03", at: 5))
        #expect(closed.finishedReason == .backstop)
        #expect(closed.cancelled.isEmpty, "the filled backstop is not cancelled")
        #expect(watchdog.on(.status(executor.status)) == [] && watchdog.watchedPositionKeys.isEmpty)
    }

    @Test("20x long walks TP1 → TP2 → TP3 with 40/40/20, the stop moves, slice PnL adds up")
    func twentyXLongLadder() throws {
        // SOL long 10 @ 100, 20x: LSF = 1/(1 + ln 21) = 0.247249
        // TP1 = 100 × (1 + 0.00847249) = 100.847 → 100.84; TP2 = 100 × 1.01323624 → 101.32; TP3 = 100 × 1.01861812 → 101.86
        let plan = F.plan(F.sol, .long, entry: "100", quantity: "10", leverage: 20)
        #expect(plan.targets.map(\.price) == [Price("100.84")!, Price("101.32")!, Price("101.86")!])
        #expect(plan.targets.map(\.quantity) == [Quantity(units: 4), Quantity(units: 4), Quantity(units: 2)])
        #expect(plan.stopPrice == Price("98.80")! && plan.backstopPrice == Price("98.50")!)
        var executor = F.executor(plan, F.sol)
        let b1 = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(b1.clientOrderID, "SOLUSDT", at: 0.1))
        #expect(executor.on(F.price("SOLUSDT", "100.50", at: 1)) == [])

        // TP1
        let tp1 = try #require(executor.on(F.price("SOLUSDT", "100.85", at: 2)).submitted.first)
        #expect(tp1.side == .sell && tp1.type == .market && tp1.reduceOnly && tp1.quantity == Quantity(units: 4))
        let afterTP1 = executor.on(F.fill(tp1.clientOrderID, "SOLUSDT", .sell, price: "100.85", quantity: "4", at: 2.1))
        #expect(afterTP1.closedSlices.map(\.reason) == [.takeProfit1])
        // stop → break-even plus fees: 100 × 1.001 = 100.10; new backstop 100.10 − 0.30 = 99.80, placed before the old is cancelled
        #expect(executor.status.stopPrice == Price("100.10")!)
        let b2 = try #require(afterTP1.submitted.first)
        #expect(b2.type == .stopMarket && b2.triggerPrice == Price("99.80")! && b2.closePosition)
        #expect(afterTP1.cancelled.isEmpty, "the old backstop stays until the new one is accepted")
        #expect(executor.on(F.accepted(b2.clientOrderID, "SOLUSDT", at: 2.2)).cancelled == [b1.clientOrderID])
        _ = executor.on(.execution(.canceled(b1.clientOrderID, symbol: "SOLUSDT", time: F.time(2.3))))

        // TP2
        let tp2 = try #require(executor.on(F.price("SOLUSDT", "101.33", at: 3)).submitted.first)
        #expect(tp2.quantity == Quantity(units: 4))
        let afterTP2 = executor.on(F.fill(tp2.clientOrderID, "SOLUSDT", .sell, price: "101.33", quantity: "4", at: 3.1))
        // stop → TP1 price 100.84; backstop 100.84 − 0.30 = 100.54
        #expect(executor.status.stopPrice == Price("100.84")!)
        let b3 = try #require(afterTP2.submitted.first)
        #expect(b3.triggerPrice == Price("100.54")!)
        #expect(executor.on(F.accepted(b3.clientOrderID, "SOLUSDT", at: 3.2)).cancelled == [b2.clientOrderID])

        // TP3
        let tp3 = try #require(executor.on(F.price("SOLUSDT", "101.90", at: 4)).submitted.first)
        #expect(tp3.quantity == Quantity(units: 2))
        let done = executor.on(F.fill(tp3.clientOrderID, "SOLUSDT", .sell, price: "101.90", quantity: "2", at: 4.1))
        #expect(done.finishedReason == .takeProfit3)
        #expect(done.cancelled == [b3.clientOrderID])

        let metrics = executor.metrics
        #expect(metrics.targetsHit == [1, 2, 3] && metrics.fractionHarvested == 1.0 && metrics.stopHits == 0)
        #expect(executor.state.stopMoves.map(\.to) == [Price("100.10")!, Price("100.84")!])
        // After TP1 the stop goes to break-even + fees; after TP2 it locks TP1's price (not a trailing stop).
        #expect(executor.state.stopMoves.map(\.reason) == [.breakEvenStop, .profitLockStop])
        // Slices: 4 × (100.85 − 100) = 3.40; 4 × (101.33 − 100) = 5.32; 2 × (101.90 − 100) = 3.80; sum 12.52
        #expect(metrics.closedSlices.map(\.realizedPnL) == [Money("3.40")!, Money("5.32")!, Money("3.80")!])
        // Position: average exit (403.40 + 405.32 + 203.80) / 10 = 101.252; 10 × (101.252 − 100) = 12.52
        #expect(metrics.averageExitPrice == Price("101.252")!)
        #expect(metrics.realizedPnL == Money("12.52")!)
    }

    @Test("after TP1 the break-even stop closes the rest at market")
    func breakEvenStop() throws {
        let plan = F.plan(F.sol, .long, entry: "100", quantity: "10", leverage: 20)
        var executor = F.executor(plan, F.sol)
        let b1 = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(b1.clientOrderID, "SOLUSDT", at: 0.1))
        let tp1 = try #require(executor.on(F.price("SOLUSDT", "100.90", at: 1)).submitted.first)
        _ = executor.on(F.fill(tp1.clientOrderID, "SOLUSDT", .sell, price: "100.90", quantity: "4", at: 1.1))
        #expect(executor.on(F.price("SOLUSDT", "100.20", at: 2)) == [])
        let stop = try #require(executor.on(F.price("SOLUSDT", "100.09", at: 3)).submitted.first)
        #expect(stop.quantity == Quantity(units: 6) && stop.side == .sell && stop.reduceOnly)
        let done = executor.on(F.fill(stop.clientOrderID, "SOLUSDT", .sell, price: "100.09", quantity: "6", at: 3.1))
        #expect(done.finishedReason == .breakEvenStop)
        // 4 × 0.90 + 6 × 0.09 = 3.60 + 0.54 = 4.14
        #expect(executor.metrics.realizedPnL == Money("4.14")!)
        #expect(executor.metrics.fractionHarvested == 0.4)
    }
}
