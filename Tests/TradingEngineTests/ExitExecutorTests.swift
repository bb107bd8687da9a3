import Testing
import TradingEngine
import TradingModel

@Suite("ExitExecutor: failures, retries and outside changes")
struct ExitExecutorTests {
    typealias F = ExitFixtures

    /// ATOM short 446.03 @ 2.224, 20x (slices 178.41 / 178.41 / 89.21), started, backstop accepted.
    func protectedShort(leverage: Int = 20) throws -> (ExitExecutor, OrderRequest) {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: leverage)
        var executor = F.executor(plan, F.atom)
        let backstop = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(backstop.clientOrderID, "ATOMUSDT", at: 0.1))
        return (executor, backstop)
    }

    @Test("backstop rejected → retried after backstop_retry_interval (not at once) → after 3 attempts the position is closed at market with a CRITICAL alert")
    func backstopRejectedFailsClosed() throws {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom)
        let first = try #require(executor.start(at: F.time(0)).submitted.first)
        // The retry waits for `backstopRetry.interval` (1 s by default), driven by the timer.
        #expect(executor.on(F.rejected(first.clientOrderID, "ATOMUSDT", at: 0.1)).submitted.isEmpty)
        #expect(executor.on(.timer(F.time(0.5))).submitted.isEmpty)
        let second = try #require(executor.on(.timer(F.time(1.1))).submitted.first)
        #expect(second.type == .stopMarket && second.clientOrderID != first.clientOrderID && second.triggerPrice == first.triggerPrice)
        #expect(executor.on(F.rejected(second.clientOrderID, "ATOMUSDT", at: 1.2)).submitted.isEmpty)
        let third = try #require(executor.on(.timer(F.time(2.2))).submitted.first)
        let failed = executor.on(F.rejected(third.clientOrderID, "ATOMUSDT", at: 2.3))
        #expect(failed.alerts.map(\.severity) == [.critical])
        #expect(failed.alerts.first?.kind == "exit.backstop_failed")
        let close = try #require(failed.submitted.first)
        #expect(close.type == .market && close.side == .buy && close.reduceOnly && close.quantity == Quantity("446.03")!)
        #expect(close.clientOrderID.value.hasSuffix("-fl"))
        #expect(failed.saves == 1)
        #expect(executor.status.phase == .closing)
    }

    @Test("backstop_retry_interval is honoured: a 5 s interval waits 5 s between attempts")
    func backstopRetryIntervalHonoured() throws {
        var settings = ExitSettings()
        settings.backstopRetry = ExitSettings.RetryPolicy(maxAttempts: 3, interval: .seconds(5))
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom, settings: settings)
        let first = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.rejected(first.clientOrderID, "ATOMUSDT", at: 0.1))
        #expect(executor.on(.timer(F.time(4))).submitted.isEmpty)
        #expect(executor.on(.timer(F.time(5.1))).submitted.first?.type == .stopMarket)
    }

    @Test("backstop not accepted by the deadline counts as a failed attempt; an already-crossed trigger closes at once")
    func backstopDeadlineAndImmediateTrigger() throws {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom)
        let first = try #require(executor.start(at: F.time(0)).submitted.first)
        #expect(executor.on(.timer(F.time(1))) == [])
        let late = executor.on(.timer(F.time(3)))
        #expect(late.cancelled == [first.clientOrderID])
        let second = try #require(executor.on(.timer(F.time(4))).submitted.first)
        #expect(second.type == .stopMarket)

        let crossed = executor.on(F.rejected(second.clientOrderID, "ATOMUSDT", at: 3.1, .wouldImmediatelyTrigger))
        #expect(crossed.alerts.first?.severity == .critical)
        #expect(crossed.submitted.first?.type == .market)
    }

    @Test("a partial fill of a close reduces the position; the expired remainder is re-sent")
    func partialFill() throws {
        var (executor, backstop) = try protectedShort()
        let close = try #require(executor.on(F.price("ATOMUSDT", "2.251", at: 1)).submitted.first)
        #expect(close.quantity == Quantity("446.03")!)
        let part = executor.on(F.fill(close.clientOrderID, "ATOMUSDT", .buy, price: "2.251", quantity: "200", at: 1.1))
        #expect(part.closedSlices.map(\.quantity) == [Quantity(units: 200)])
        #expect(part.finishedReason == nil)
        #expect(executor.status.remainingQuantity == Quantity("246.03")!)
        let resent = executor.on(.execution(.canceled(close.clientOrderID, symbol: "ATOMUSDT", time: F.time(1.2))))
        let retry = try #require(resent.submitted.first)
        #expect(retry.quantity == Quantity("246.03")! && retry.reduceOnly && retry.clientOrderID != close.clientOrderID)
        let done = executor.on(F.fill(retry.clientOrderID, "ATOMUSDT", .buy, price: "2.252", quantity: "246.03", at: 1.3))
        #expect(done.finishedReason == .stopLoss)
        #expect(done.cancelled == [backstop.clientOrderID])
        // −200 × 0.027 − 246.03 × 0.028 = −5.40 − 6.88884 = −12.28884
        #expect(executor.metrics.realizedPnL == Money("-12.28884")!)
    }

    @Test("a rejected close is retried on the timer; after 3 attempts a CRITICAL alert, and it keeps trying")
    func rejectedCloseRetried() throws {
        var (executor, _) = try protectedShort()
        let c1 = try #require(executor.on(F.price("ATOMUSDT", "2.251", at: 1)).submitted.first)
        let rejected = executor.on(F.rejected(c1.clientOrderID, "ATOMUSDT", at: 1.1))
        #expect(rejected.submitted.isEmpty && rejected.alerts.isEmpty && rejected.saves == 1)
        #expect(executor.on(.timer(F.time(1.5))) == [])
        let c2 = try #require(executor.on(.timer(F.time(2.1))).submitted.first)
        #expect(c2.quantity == Quantity("446.03")! && c2.clientOrderID != c1.clientOrderID)
        _ = executor.on(F.rejected(c2.clientOrderID, "ATOMUSDT", at: 2.2))
        let c3 = try #require(executor.on(.timer(F.time(3.2))).submitted.first)
        let escalated = executor.on(F.rejected(c3.clientOrderID, "ATOMUSDT", at: 3.3))
        #expect(escalated.alerts.map(\.kind) == ["exit.close_failed"])
        #expect(escalated.alerts.first?.severity == .critical)
        let c4 = try #require(executor.on(.timer(F.time(4.3))).submitted.first, "never gives up")
        let done = executor.on(F.fill(c4.clientOrderID, "ATOMUSDT", .buy, price: "2.26", quantity: "446.03", at: 4.4))
        #expect(done.finishedReason == .stopLoss)
    }

    @Test("a manual close on the exchange finishes the executor and cancels the backstop")
    func externalClose() throws {
        var (executor, backstop) = try protectedShort()
        let actions = executor.on(.execution(.positionChanged(symbol: "ATOMUSDT", signedQuantity: .zero, time: F.time(5))))
        #expect(actions.finishedReason == .external)
        #expect(actions.cancelled == [backstop.clientOrderID])
        #expect(actions.saves == 1)
        #expect(executor.on(F.price("ATOMUSDT", "2.30", at: 6)) == [])
    }

    @Test("a size change outside the bot re-plans the remaining slices")
    func resized() throws {
        var (executor, _) = try protectedShort()
        let actions = executor.on(.execution(.positionChanged(symbol: "ATOMUSDT", signedQuantity: -Quantity(units: 300), time: F.time(5))))
        #expect(actions.alerts.first?.kind == "exit.position_resized")
        // 300 × 178.41 / 446.03 = 119.9986 → 119.99; 119.99; 300 − 239.98 = 60.02
        #expect(executor.status.openTargets.map(\.quantity) == [Quantity("119.99")!, Quantity("119.99")!, Quantity("60.02")!])
        #expect(executor.status.remainingQuantity == Quantity(units: 300))
    }

    @Test("a manual close request closes the remainder at market")
    func manualClose() throws {
        var (executor, _) = try protectedShort()
        let actions = executor.on(.manualClose(F.time(2)))
        let order = try #require(actions.submitted.first)
        #expect(order.type == .market && order.reduceOnly && order.quantity == Quantity("446.03")!)
        let done = executor.on(F.fill(order.clientOrderID, "ATOMUSDT", .buy, price: "2.23", quantity: "446.03", at: 2.1))
        #expect(done.finishedReason == .manual)
    }

    @Test("liquidation is reported as CRITICAL and finishes")
    func liquidation() throws {
        var (executor, _) = try protectedShort()
        let actions = executor.on(.execution(.liquidated(symbol: "ATOMUSDT", price: Price("2.31")!, quantity: Quantity("446.03")!, time: F.time(9))))
        #expect(actions.alerts.contains { $0.kind == "exit.liquidated" && $0.severity == .critical })
        #expect(actions.finishedReason == .liquidation)
    }

    @Test("only the configured price source drives decisions; backtest bar-path points always do")
    func priceSource() throws {
        var (executor, _) = try protectedShort()
        #expect(executor.on(F.price("ATOMUSDT", "2.30", at: 1, source: .lastTrade)) == [])
        #expect(executor.on(F.price("ATOMUSDT", "2.30", at: 1, source: .barPath)).submitted.count == 1)
    }

    @Test("a gap through two targets sends one close per slice")
    func gapThroughTargets() throws {
        var (executor, _) = try protectedShort()
        // short targets at 20x: TP1 ≈ 2.224 × (1 − 0.00847) → 2.206, TP2 ≈ 2.224 × (1 − 0.01324) → 2.195
        let orders = executor.on(F.price("ATOMUSDT", "2.19", at: 1)).submitted
        #expect(orders.map(\.quantity) == [Quantity("178.41")!, Quantity("178.41")!])
        #expect(orders.allSatisfy { $0.reduceOnly && $0.side == .buy && $0.type == .market })
    }

    @Test("any first event starts the executor: the backstop is never skipped")
    func autoStart() {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom)
        let actions = executor.on(F.price("ATOMUSDT", "2.23", at: 1))
        #expect(actions.submitted.first?.type == .stopMarket)
    }

    @Test("the state survives a save and restore")
    func snapshotRoundTrip() throws {
        var (executor, _) = try protectedShort()
        _ = executor.on(F.price("ATOMUSDT", "2.21", at: 1))
        let snapshot = executor.snapshot
        #expect(snapshot.executor == "tick-exit-executor" && snapshot.lastPriceEventAt == F.time(1))
        #expect(snapshot.stateJSON.contains("\"stopPrice\":\"2.25\""))
        for key in ["slices", "stopMoves", "restingBackstop", "lastPriceEventAt", "orderIDSequence", "metrics"] {
            #expect(snapshot.stateJSON.contains("\"\(key)\""), "state JSON lacks \(key)")
        }
        let restored = try ExitExecutor(restoring: snapshot, instrument: F.atom, settings: ExitSettings())
        #expect(restored.state == executor.state)
        let foreign = ExitStateSnapshot(positionKey: "x", symbol: "ATOMUSDT", executor: "legacy", stateJSON: "{}", lastPriceEventAt: nil)
        #expect(throws: ExitStateDecodingError.self) { try ExitExecutor(restoring: foreign, instrument: F.atom, settings: ExitSettings()) }
    }

    @Test("the trailing stop tightens behind the last slice when enabled")
    func trailing() throws {
        var settings = ExitSettings()
        settings.trailingStopDistance = Rate("0.005")!
        let plan = F.plan(F.sol, .long, entry: "100", quantity: "10", leverage: 20, settings: settings)
        var executor = F.executor(plan, F.sol, settings: settings)
        let b1 = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(b1.clientOrderID, "SOLUSDT", at: 0.1))
        let orders = executor.on(F.price("SOLUSDT", "101.40", at: 1)).submitted
        _ = executor.on(F.fill(orders[0].clientOrderID, "SOLUSDT", .sell, price: "101.40", quantity: "4", at: 1.1))
        _ = executor.on(F.fill(orders[1].clientOrderID, "SOLUSDT", .sell, price: "101.40", quantity: "4", at: 1.1))
        // 101.80 × 0.995 = 101.291 → up to 101.30 (above the TP1 stop 100.84)
        #expect(executor.on(F.price("SOLUSDT", "101.80", at: 2)).saves == 1)
        #expect(executor.status.stopPrice == Price("101.30")! && executor.status.stopReason == .trailingStop)
        let stop = try #require(executor.on(F.price("SOLUSDT", "101.29", at: 3)).submitted.first)
        #expect(stop.quantity == Quantity(units: 2))
    }
}

@Suite("ExecutionPolicy: no silent fallback")
struct ExecutionPolicyTests {
    @Test("known values parse")
    func known() throws {
        #expect(try ExecutionPolicy.parse("exit-engine") == .exitEngine)
        #expect(try ExecutionPolicy.parse(" reference-bracket ") == .referenceBracket)
        #expect(try ExecutionPolicy.parse("exitEngine") == .exitEngine)
    }

    @Test("\"legacy\" is refused with a clear message")
    func legacy() {
        do {
            _ = try ExecutionPolicy.parse("legacy")
            Issue.record("legacy must be refused")
        } catch {
            #expect(error == .unknown(value: "legacy", source: "[execution] policy"))
            #expect(error.description.contains("\"legacy\" is not a known execution policy"))
            #expect(error.description.contains("\"exit-engine\", \"reference-bracket\""))
        }
    }

    @Test("a missing policy is refused; there is no default")
    func missing() {
        do {
            _ = try ExecutionPolicy.parse(nil)
            Issue.record("a missing policy must be refused")
        } catch {
            #expect(error == .missing(source: "[execution] policy"))
            #expect(error.description.contains("is required and missing"))
        }
    }
}

@Suite("ExitExecutor: unanswered closes")
struct ExitExecutorUnansweredTests {
    typealias F = ExitFixtures

    @Test("a close the venue never answers raises one CRITICAL alert and is not re-sent blindly")
    func unconfirmed() throws {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom)
        let backstop = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(backstop.clientOrderID, "ATOMUSDT", at: 0.1))
        _ = try #require(executor.on(F.price("ATOMUSDT", "2.251", at: 1)).submitted.first)
        #expect(executor.on(.timer(F.time(5.9))) == [])
        let late = executor.on(.timer(F.time(6)))
        #expect(late.alerts.map(\.kind) == ["exit.close_unconfirmed"] && late.submitted.isEmpty)
        #expect(executor.on(.timer(F.time(7))) == [], "alerted once")
    }
}

@Suite("ExitExecutor: routing")
struct ExitExecutorRoutingTests {
    @Test("a price of another symbol is ignored")
    func otherSymbol() throws {
        let plan = ExitFixtures.plan(ExitFixtures.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = ExitFixtures.executor(plan, ExitFixtures.atom)
        _ = executor.start(at: ExitFixtures.time(0))
        #expect(executor.on(ExitFixtures.price("LINKUSDT", "13.24", at: 1)) == [])
        #expect(executor.status.lastPriceEventAt == nil)
    }
}

@Suite("ExitExecutor: entry partial fills")
struct ExitExecutorEntryFillTests {
    @Test("a later partial fill of the entry grows the position and re-plans the slices")
    func entryPartialFill() throws {
        // Plan for 10 SOL (4/4/2) but only 6 filled when the executor was created.
        let plan = ExitFixtures.plan(ExitFixtures.sol, .long, entry: "100", quantity: "10", leverage: 20)
        let position = Position(symbol: "SOLUSDT", side: .long, quantity: Quantity(units: 6), entryPrice: Price(units: 100), leverage: 20,
                                isolatedMargin: Money(units: 30), openedAt: ExitFixtures.start)
        var executor = ExitExecutor(plan: plan, position: position, instrument: ExitFixtures.sol, settings: ExitSettings(),
                                    positionKey: "SOLUSDT-1", orderIDs: ClientOrderIDGenerator(runTag: "t"))
        // 6 × 4/10 = 2.40, 2.40, remainder 1.20
        #expect(executor.status.openTargets.map(\.quantity) == [Quantity("2.40")!, Quantity("2.40")!, Quantity("1.20")!])
        _ = executor.start(at: ExitFixtures.time(0))
        let grown = executor.on(ExitFixtures.fill(ClientOrderID("qt-k-1-en")!, "SOLUSDT", .buy, price: "100", quantity: "4", at: 0.5))
        #expect(grown.alerts.isEmpty && grown.saves == 1)
        #expect(executor.status.remainingQuantity == Quantity(units: 10))
        #expect(executor.status.openTargets.map(\.quantity) == [Quantity(units: 4), Quantity(units: 4), Quantity(units: 2)])
    }
}

@Suite("ExitExecutor: restored on restart")
struct ExitExecutorRestoreTests {
    typealias F = ExitFixtures

    static func context(_ plan: ExitPlan, quantity: String, saved: ExitStateSnapshot?) -> ExitOwnerContext {
        let position = Position(symbol: plan.symbol, side: plan.side, quantity: Quantity(quantity)!, entryPrice: plan.entryPrice,
                                leverage: plan.leverage, isolatedMargin: Money(units: 500), openedAt: F.start)
        var context = ExitOwnerContext(entry: ApprovedEntry(signal: Signal(symbol: plan.symbol, side: plan.side, confidence: nil, time: F.start,
                                                                           source: "test"), quantity: plan.quantity, leverage: plan.leverage, plan: plan),
                                       position: position, instrument: F.atom, positionKey: PositionKey(symbol: "ATOMUSDT", entryOrderID: ClientOrderID("new")!), orderIDs: ClientOrderIDGenerator(runTag: "r2p1"),
                                       time: F.time(100))
        context.restoredState = saved
        return context
    }

    /// A short after TP1 with the stop at break-even, as the dead process saved it.
    static func savedAfterTP1() throws -> (ExitStateSnapshot, TradingEngine.ExitStatus) {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 2)
        var executor = F.executor(plan, F.atom)
        let backstop = try #require(executor.start(at: F.time(0)).submitted.first)
        _ = executor.on(F.accepted(backstop.clientOrderID, "ATOMUSDT", at: 0.1))
        let tp1 = try #require(executor.status.openTargets.first)
        let close = try #require(executor.on(F.price("ATOMUSDT", "\(tp1.price)", at: 1)).submitted.first)
        _ = executor.on(F.fill(close.clientOrderID, "ATOMUSDT", .buy, price: "\(tp1.price)", quantity: "\(close.quantity!)", at: 1.1))
        return (executor.snapshot, executor.status)
    }

    @Test("A restart keeps the stop where it was: a saved state matching symbol, side and size is restored (moved stop, harvested target), with new ids")
    func matchingStateRestored() throws {
        let (saved, status) = try Self.savedAfterTP1()
        #expect(status.stopReason == .breakEvenStop)
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "\(status.remainingQuantity)", leverage: 2)
        var (executor, origin) = ExitExecutor.build(Self.context(plan, quantity: "\(status.remainingQuantity)", saved: saved), settings: ExitSettings())
        #expect(origin == .restored)
        #expect(executor.status.stopPrice == status.stopPrice && executor.status.openTargets == status.openTargets)
        #expect(executor.status.positionKey == "ATOMUSDT-new")
        let backstop = try #require(executor.on(.timer(F.time(100))).submitted.first)
        // At the moved (break-even) stop plus its buffer, not the first backstop (2.256).
        #expect(try #require(backstop.triggerPrice) < Price("2.256")! && backstop.clientOrderID.value.hasPrefix("qt-r2p1-"))
    }

    @Test("A restart with another size keeps the tighter of the saved and the re-planned stop")
    func otherSizeKeepsTighterStop() throws {
        let (saved, status) = try Self.savedAfterTP1()
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "200", leverage: 2)
        let (executor, origin) = ExitExecutor.build(Self.context(plan, quantity: "200", saved: saved), settings: ExitSettings())
        #expect(origin == .replannedKeepingTighterStop)
        #expect(executor.status.stopPrice == status.stopPrice && status.stopPrice < plan.stopPrice)
        #expect(executor.status.remainingQuantity == Quantity(units: 200))
    }

    @Test("A saved state of the other side, or none, is not used: the position is planned")
    func otherSideIsPlanned() throws {
        let (saved, _) = try Self.savedAfterTP1()
        let plan = F.plan(F.atom, .long, entry: "2.224", quantity: "312.23", leverage: 2)
        #expect(ExitExecutor.build(Self.context(plan, quantity: "312.23", saved: saved), settings: ExitSettings()).origin == .planned)
        #expect(ExitExecutor.build(Self.context(plan, quantity: "312.23", saved: nil), settings: ExitSettings()).origin == .planned)
    }
}
