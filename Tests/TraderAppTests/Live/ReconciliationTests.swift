import Testing
import TraderApp
import TradingEngine
import TradingModel

@Suite("Reconciliation: the venue's positions and orders against what the run protects")
struct ReconciliationTests {
    static let time = LiveHarness.time(0)

    static func stop(_ id: String, side: OrderSide, trigger: String, symbol: Symbol = "ATOMUSDT") -> OrderSnapshot {
        OrderSnapshot(request: OrderRequest(clientOrderID: ClientOrderID(id)!, symbol: symbol, side: side, type: .stopMarket, quantity: nil,
                                            triggerPrice: Price(trigger)!, closePosition: true),
                      status: .new, filledQuantity: .zero, averagePrice: nil, venueOrderID: id, updateTime: time)
    }

    static func short(_ quantity: String, at entry: String, leverage: Int = 2) -> PositionSnapshot {
        PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity("-" + quantity)!, entryPrice: Price(entry)!, leverage: leverage,
                         isolatedMargin: Money(units: 496), liquidationPrice: nil)
    }

    static func planner(_ position: PositionSnapshot) -> Result<ExitPlan, ExitPlanRejection> {
        let brain = try! ExitBrain(settings: ExitSettings())
        return brain.plan(symbol: position.symbol, side: position.signedQuantity.isNegative ? .short : .long, entryPrice: position.entryPrice,
                          quantity: position.signedQuantity.magnitude, leverage: position.leverage, instrument: LiveHarness.atom)
    }

    @Test("An unprotected position is adopted first; its old stop is cancelled after (new backstop before old cancelled)")
    func adoptUnprotected() throws {
        let old = Self.stop("manual-stop-1", side: .buy, trigger: "2.300")
        let venue = VenueState(positions: [Self.short("446.03", at: "2.224")], openOrders: [old])
        let steps = try Reconciliation.plan(venue: venue, local: LocalState(ownedSymbols: [], ownedStopIDs: []), planner: Self.planner)
        try #require(steps.count == 2)
        guard case .adopt(let position, let plan) = steps[0] else { Issue.record("first step is not an adoption: \(steps)"); return }
        #expect(position.symbol == "ATOMUSDT" && plan.side == .short && plan.leverage == 2 && plan.stopPrice == Price("2.250")!)
        // The old stop goes only once the new owner's backstop rests (performed by the runtime).
        #expect(steps[1] == .cancelOnceProtected(old, reason: "stop of an adopted position, replaced by its exit owner's backstop"))
    }

    @Test("A position that cannot be protected (no plan) is closed")
    func closeUnprotectable() throws {
        let venue = VenueState(positions: [Self.short("446.03", at: "2.224")], openOrders: [])
        let steps = try Reconciliation.plan(venue: venue, local: LocalState(ownedSymbols: [], ownedStopIDs: [])) { _ in
            .failure(ExitPlanRejection("stop beyond liquidation"))
        }
        guard case .close(let position, let reason) = try #require(steps.first) else { Issue.record("not a close: \(steps)"); return }
        #expect(position.signedQuantity == Quantity("-446.03")! && reason.contains("stop beyond liquidation"))
    }

    @Test("A reduce-only stop of a flat symbol is an orphan and is cancelled")
    func orphanStopCancelled() throws {
        let orphan = Self.stop("qt-old-7-bs", side: .buy, trigger: "2.256")
        let steps = try Reconciliation.plan(venue: VenueState(positions: [], openOrders: [orphan]),
                                            local: LocalState(ownedSymbols: [], ownedStopIDs: []), planner: Self.planner)
        #expect(steps == [.cancel(orphan, reason: "orphan reduce-only order of flat ATOMUSDT")])
    }

    @Test("Duplicate backstops of a protected short: the tighter (lower) one is kept, the rest cancelled; the owner's own stop always stays")
    func duplicateBackstopsDeduplicated() throws {
        let loose = Self.stop("qt-a-1-bs", side: .buy, trigger: "2.300")
        let tight = Self.stop("qt-a-2-bs", side: .buy, trigger: "2.256")
        let looser = Self.stop("qt-a-3-bs", side: .buy, trigger: "2.400")
        let venue = VenueState(positions: [Self.short("446.03", at: "2.224")], openOrders: [loose, tight, looser])
        let steps = try Reconciliation.plan(venue: venue, local: LocalState(ownedSymbols: ["ATOMUSDT"], ownedStopIDs: []), planner: Self.planner)
        #expect(steps.map { if case .cancel(let order, _) = $0 { order.request.clientOrderID.value } else { "other" } } == ["qt-a-1-bs", "qt-a-3-bs"])
        let owned = try Reconciliation.plan(venue: venue, local: LocalState(ownedSymbols: ["ATOMUSDT"], ownedStopIDs: [loose.request.clientOrderID]),
                                            planner: Self.planner)
        #expect(owned.map { if case .cancel(let order, _) = $0 { order.request.clientOrderID.value } else { "other" } } == ["qt-a-2-bs", "qt-a-3-bs"])
    }

    @Test("Runtime: the adopted position's backstop is sent before the old stop is cancelled; both recorded and alerted")
    func runtimeAdoptsWithBackstopFirst() async throws {
        let harness = try LiveHarness()
        let old = Self.stop("manual-stop-1", side: .buy, trigger: "2.300")
        harness.client.seed(positions: [Self.short("446.03", at: "2.224")], orders: [old])
        try await harness.runtime.reconcile()
        let sent = harness.client.submittedOrders
        try #require(sent.count == 1)
        #expect(sent[0].type == .stopMarket && sent[0].closePosition && sent[0].side == .buy && sent[0].triggerPrice == Price("2.256")!)
        #expect(harness.client.cancelledIDs == [old.request.clientOrderID])
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
        let kinds = await harness.runtime.alerts.map(\.kind)
        #expect(kinds == ["reconcile.adopted", "reconcile.cancelled", "reconcile.done"])
        let repairs = try harness.store.riskEvents(runID: harness.runID).map(\.state)
        #expect(repairs == ["reconcile_adopted", "reconcile_cancelled"])
        // The adopted short is protected by its owner: rising marks close it at the stop.
        await harness.mark("2.2507", at: 62)
        #expect(await harness.runtime.trades.first?.exitReason == .stopLoss)
    }

    @Test("Runtime: a reconcile input after a reconnect cancels a stop left behind while the runtime was flat")
    func reconcileInputAfterReconnect() async throws {
        let harness = try LiveHarness()
        try await harness.runtime.reconcile()
        let orphan = Self.stop("qt-old-9-bs", side: .buy, trigger: "2.256")
        harness.client.seed(positions: [], orders: [orphan])
        let reply = ReconcileReply()
        await harness.runtime.handle(.reconcile(reply: reply))
        #expect(await reply.value())
        #expect(harness.client.cancelledIDs == [orphan.request.clientOrderID])
        #expect(await harness.runtime.reconciled)
    }

    @Test("Reconciliation only touches what this run owns: positions and orders of symbols outside --symbols are reported, never closed, adopted or cancelled")
    func foreignSymbolsReportedOnly() throws {
        let link = PositionSnapshot(symbol: "LINKUSDT", signedQuantity: Quantity(units: 10), entryPrice: Price("15")!, leverage: 5,
                                    isolatedMargin: Money(units: 30), liquidationPrice: nil)
        let linkStop = Self.stop("web_stop_1", side: .sell, trigger: "14.000", symbol: "LINKUSDT")
        let btcOrphan = Self.stop("other-bot-7", side: .buy, trigger: "99000", symbol: "BTCUSDT")
        let venue = VenueState(positions: [link], openOrders: [linkStop, btcOrphan])
        let steps = try Reconciliation.plan(venue: venue, local: LocalState(ownedSymbols: [], ownedStopIDs: [], tradedSymbols: ["ATOMUSDT"]),
                                            planner: Self.planner)
        #expect(steps.count == 2)
        #expect(steps.allSatisfy { if case .reportForeign = $0 { true } else { false } })
        #expect(steps.map { if case .reportForeign(let symbol, _) = $0 { symbol.name } else { "" } } == ["LINKUSDT", "BTCUSDT"])
    }

    @Test("A position that cannot be protected is closed and its stops are left in place until it is flat")
    func closedPositionKeepsItsStops() throws {
        let old = Self.stop("manual-stop-1", side: .buy, trigger: "2.300")
        let venue = VenueState(positions: [Self.short("446.03", at: "2.224")], openOrders: [old])
        let steps = try Reconciliation.plan(venue: venue, local: LocalState(ownedSymbols: [], ownedStopIDs: [])) { _ in
            .failure(ExitPlanRejection("stop beyond liquidation"))
        }
        #expect(steps.count == 1)
        guard case .close = try #require(steps.first) else { Issue.record("not a close: \(steps)"); return }
    }

    @Test("A stop is never cancelled for a position that cannot be closed or re-protected first: the old stop stays while the new backstop is refused and the close fails")
    func oldStopStaysUntilReprotected() async throws {
        let harness = try LiveHarness()
        let old = Self.stop("manual-stop-1", side: .buy, trigger: "2.300")
        harness.client.seed(positions: [Self.short("446.03", at: "2.224")], orders: [old])
        harness.client.setPrice(Price("2.230")!, symbol: "ATOMUSDT")
        harness.client.inject(.rejectBackstops)
        harness.client.inject(.allClosesFail)
        try await harness.runtime.reconcile()
        for second in Int64(1)...20 {
            harness.clock.set(LiveHarness.time(second))
            await harness.runtime.handle(.timer(LiveHarness.time(second)))
        }
        #expect(harness.client.submittedOrders.contains { $0.type == .stopMarket })
        #expect(harness.client.venuePositionList.first?.signedQuantity == Quantity("-446.03")!, "still open: nothing could close it")
        #expect(harness.client.cancelledIDs.isEmpty, "the old stop was cancelled while the position had no other protection")
        // The venue takes orders again: the owner's fail-closed close goes through, then the old stop goes.
        harness.client.clear(.rejectBackstops)
        harness.client.clear(.allClosesFail)
        for second in Int64(21)...40 {
            harness.clock.set(LiveHarness.time(second))
            await harness.runtime.handle(.timer(LiveHarness.time(second)))
        }
        #expect(harness.client.venuePositionList.isEmpty)
        #expect(harness.client.cancelledIDs == [old.request.clientOrderID])
    }
}
