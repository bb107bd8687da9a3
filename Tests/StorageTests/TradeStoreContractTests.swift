import Testing
import TradingEngine
import TradingModel

/// The `TradeStore` contract, run against every implementation (`StoreUnderTest.all`).
@Suite struct TradeStoreContractTests {
    private func withStore(_ subject: StoreUnderTest, _ body: (StoreHarness) throws -> Void) throws {
        let harness = try subject.make()
        defer { harness.cleanup() }
        try body(harness)
    }

    @Test(arguments: StoreUnderTest.all)
    func runsBeginAndFinish(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let first = try store.beginRun(StoreFixtures.run(.backtest))
            let second = try store.beginRun(StoreFixtures.run(.paper, at: 1_700_000_000_000))
            #expect(first == 1 && second == 2)
            try store.finishRun(id: first, finishedAt: Timestamp(milliseconds: 1_675_300_000_000), summaryJSON: "{\"trades\":3}")

            var expectedFirst = StoreFixtures.run(.backtest)
            expectedFirst.id = 1
            expectedFirst.finishedAt = Timestamp(milliseconds: 1_675_300_000_000)
            expectedFirst.summaryJSON = "{\"trades\":3}"
            var expectedSecond = StoreFixtures.run(.paper, at: 1_700_000_000_000)
            expectedSecond.id = 2
            #expect(try store.runs() == [expectedFirst, expectedSecond])

            #expect(throws: TradeStoreError.unknownRun(9)) {
                try store.finishRun(id: 9, finishedAt: Timestamp(milliseconds: 1), summaryJSON: "{}")
            }
            #expect(try store.runs() == [expectedFirst, expectedSecond])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func orderHistoryKeepsEveryStateInRecordingOrder(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            let events = [
                StoreFixtures.entryOrder(runID: run, status: "NEW", at: 1_000),
                StoreFixtures.entryOrder(runID: run, status: "PARTIALLY_FILLED", detail: "5 of 12.5", at: 2_000),
                // Same timestamp as the previous event: recording order still decides.
                StoreFixtures.entryOrder(runID: run, status: "FILLED", at: 2_000),
            ]
            try store.recordOrder(events[0])
            try store.recordOrder(StoreFixtures.stopOrder(runID: run, status: "NEW", at: 1_500))
            try store.recordOrder(events[1])
            try store.recordOrder(events[2])
            #expect(try store.orderHistory(StoreFixtures.entryID) == events)
            #expect(try store.orderHistory(StoreFixtures.stopID) == [StoreFixtures.stopOrder(runID: run, status: "NEW", at: 1_500)])
            #expect(try store.orderHistory(ClientOrderID("never-sent")!) == [])
            #expect(try harness.rowCount("orders") == 2)
            #expect(try harness.rowCount("order_events") == 4)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func latestOrderEventsGiveEachOrdersLastStateOfOneRun(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            let other = try store.beginRun(StoreFixtures.run(.paper))
            try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "SUBMITTED", at: 1_000))
            try store.recordOrder(StoreFixtures.stopOrder(runID: run, status: "SUBMITTED", at: 1_500))
            try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "FILLED", at: 2_000))
            try store.recordOrder(StoreFixtures.entryOrder(runID: other, status: "UNKNOWN", at: 2_500))
            let latest = try store.latestOrderEvents(runID: run)
            #expect(latest.map(\.clientOrderID) == [StoreFixtures.stopID, StoreFixtures.entryID], "oldest update first")
            #expect(latest.map(\.status) == ["SUBMITTED", "FILLED"])
            #expect(latest.map(\.request) == [StoreFixtures.stopOrder(runID: run, status: "", at: 0).request,
                                              StoreFixtures.entryOrder(runID: run, status: "", at: 0).request])
            #expect(try store.latestOrderEvents(runID: other).map(\.status) == ["UNKNOWN"])
            #expect(try store.latestOrderEvents(runID: 999).isEmpty)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func fillsAndTradesRoundTripPerRun(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            let other = try store.beginRun(StoreFixtures.run(.paper))
            let fills = [StoreFixtures.fill(runID: run, quantity: "5", at: 2_000),
                         StoreFixtures.fill(runID: run, quantity: "7.5", at: 2_100)]
            for fill in fills { try store.recordFill(fill) }
            try store.recordFill(StoreFixtures.fill(runID: other, quantity: "1", at: 3_000))
            try store.recordTrade(StoreFixtures.losingShort(runID: run))
            #expect(try store.fills(runID: run) == fills)
            #expect(try store.fills(runID: other).count == 1)
            let trades = try store.trades(runID: run)
            #expect(trades == [StoreFixtures.losingShort(runID: run)])
            #expect(trades.first?.netPnL.raw == -352_556_125)
            #expect(try store.trades(runID: other) == [])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func exitStateIsReplacedAndDeleted(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            let other = try store.beginRun(StoreFixtures.run(.paper))
            try store.saveExitState(StoreFixtures.exitState(runID: run, key: "ETHUSDT#2", json: "{\"phase\":\"armed\"}", lastEvent: nil, at: 1_000))
            try store.saveExitState(StoreFixtures.exitState(runID: run, key: "ATOMUSDT#1", json: "{\"phase\":\"armed\"}", lastEvent: nil, at: 1_000))
            let replaced = StoreFixtures.exitState(runID: run, key: "ATOMUSDT#1", json: "{\"phase\":\"trailing\",\"stop\":\"13.2\"}",
                                                   lastEvent: 1_900, at: 2_000)
            try store.saveExitState(replaced)
            try store.saveExitState(StoreFixtures.exitState(runID: other, key: "ATOMUSDT#1", json: "{}", lastEvent: nil, at: 1_000))

            let states = try store.exitStates(runID: run)
            #expect(states.map(\.positionKey) == ["ATOMUSDT#1", "ETHUSDT#2"])
            #expect(states.first == replaced)

            try store.deleteExitState(runID: run, positionKey: "ATOMUSDT#1")
            #expect(try store.exitStates(runID: run).map(\.positionKey) == ["ETHUSDT#2"])
            // Deleting what is not there is a no-op; the other run's state is untouched.
            try store.deleteExitState(runID: run, positionKey: "ATOMUSDT#1")
            #expect(try store.exitStates(runID: other).count == 1)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func decisionsRoundTripWithReasonsAndOptionalFields(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            let decisions = [StoreFixtures.rejectedDecision(runID: run), StoreFixtures.approvedDecision(runID: run)]
            for decision in decisions { try store.recordDecision(decision) }
            #expect(try store.decisions(runID: run) == decisions)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func alertsEquityAndRiskEvents(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            let runAlert = StoreFixtures.alert(runID: run, kind: "watchdog.beyond_stop", symbol: "ATOMUSDT")
            let processAlert = StoreFixtures.alert(runID: nil, kind: "store.reopened", symbol: nil)
            try store.recordAlert(runAlert)
            try store.recordAlert(processAlert)
            #expect(try store.alerts(runID: nil) == [runAlert, processAlert])
            #expect(try store.alerts(runID: run) == [runAlert])

            // Equity 985.5 against a 1000 peak: drawdown −14.5.
            let snapshots = [StoreFixtures.equity(runID: run, at: 1_000, equity: "1000", drawdown: "0"),
                             StoreFixtures.equity(runID: run, at: 2_000, equity: "985.5", drawdown: "-14.5")]
            for snapshot in snapshots { try store.recordEquity(snapshot) }
            #expect(try store.equity(runID: run) == snapshots)
            #expect(try store.equity(runID: run).last?.unrealizedPnL == Money("-14.5")!)

            let halted = StoreFixtures.riskEvent(runID: run, state: "halted")
            // Account-level records (no run) are manual halts and resumes only.
            let resumed = RiskEventRecord(runID: nil, state: "resumed", cause: "manual", detail: "by ada: checked",
                                          time: Timestamp(milliseconds: 1_675_220_000_000))
            try store.recordRiskEvent(halted)
            try store.recordRiskEvent(resumed)
            #expect(throws: TradeStoreError.self) { try store.recordRiskEvent(StoreFixtures.riskEvent(runID: nil, state: "resumed")) }
            #expect(try store.riskEvents(runID: nil) == [halted, resumed])
            #expect(try store.riskEvents(runID: run) == [halted])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func recordsForAnUnknownRunAreRejected(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            _ = try store.beginRun(StoreFixtures.run())
            let missing: Int64 = 42
            let unknown = TradeStoreError.unknownRun(missing)
            #expect(throws: unknown) { try store.recordOrder(StoreFixtures.entryOrder(runID: missing, status: "NEW", at: 1)) }
            #expect(throws: unknown) { try store.recordFill(StoreFixtures.fill(runID: missing, quantity: "1", at: 1)) }
            #expect(throws: unknown) { try store.recordTrade(StoreFixtures.losingShort(runID: missing)) }
            #expect(throws: unknown) {
                try store.saveExitState(StoreFixtures.exitState(runID: missing, key: "k", json: "{}", lastEvent: nil, at: 1))
            }
            #expect(throws: unknown) { try store.recordDecision(StoreFixtures.rejectedDecision(runID: missing)) }
            #expect(throws: unknown) { try store.recordAlert(StoreFixtures.alert(runID: missing, kind: "x", symbol: nil)) }
            #expect(throws: unknown) { try store.recordEquity(StoreFixtures.equity(runID: missing, at: 1, equity: "1", drawdown: "0")) }
            #expect(throws: unknown) { try store.recordRiskEvent(StoreFixtures.riskEvent(runID: missing, state: "halted")) }
            for table in ["orders", "order_events", "fills", "trades", "exit_states", "decisions", "alerts",
                          "equity_snapshots", "risk_events"] {
                #expect(try harness.rowCount(table) == 0, "\(table)")
            }
        }
    }

    /// `recordOrder` writes the order row, then its history row. A failure on the second write
    /// must undo the first: no order without its history.
    @Test(arguments: StoreUnderTest.all)
    func failureHalfWayThroughACallWritesNothing(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run())
            try harness.injectFailure("order_events")
            #expect(throws: TradeStoreError.self) {
                try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "NEW", at: 1_000))
            }
            #expect(try harness.rowCount("orders") == 0)
            #expect(try harness.rowCount("order_events") == 0)
            #expect(try store.orderHistory(StoreFixtures.entryID) == [])

            // An update of an existing order that fails half-way keeps the old state too.
            try harness.injectFailure(nil)
            try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "NEW", at: 1_000))
            try harness.injectFailure("order_events")
            #expect(throws: TradeStoreError.self) {
                try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "FILLED", at: 2_000))
            }
            try harness.injectFailure(nil)
            #expect(try store.orderHistory(StoreFixtures.entryID).map(\.status) == ["NEW"])
            #expect(try harness.rowCount("order_events") == 1)

            // A failing finishRun leaves the run open; a failing beginRun creates nothing.
            try harness.injectFailure("runs")
            #expect(throws: TradeStoreError.self) {
                try store.finishRun(id: run, finishedAt: Timestamp(milliseconds: 9_000), summaryJSON: "{}")
            }
            #expect(throws: TradeStoreError.self) { _ = try store.beginRun(StoreFixtures.run(.live)) }
            try harness.injectFailure(nil)
            #expect(try store.runs().map(\.finishedAt) == [nil])
            // Ids only grow: PostgreSQL's sequences do not give back an id a rolled-back insert took.
            let second = try store.beginRun(StoreFixtures.run(.live))
            #expect(second > run)
            #expect(try store.runs().map(\.id) == [run, second])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func closeRequestsArePendingUntilResolvedOnce(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run(.live))
            let atom = try store.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: Timestamp(milliseconds: 1_000)))
            let all = try store.recordCloseRequest(CloseRequestRecord(symbol: nil, requestedAt: Timestamp(milliseconds: 2_000)))
            #expect(atom == 1 && all == 2)
            #expect(try store.pendingCloseRequests().map(\.id) == [1, 2])
            #expect(try store.pendingCloseRequests().map(\.symbol) == ["ATOMUSDT", nil])

            try store.resolveCloseRequest(id: atom, state: .done, detail: "ATOMUSDT closed", runID: run, time: Timestamp(milliseconds: 3_000))
            #expect(try store.pendingCloseRequests().map(\.id) == [2])
            #expect(try store.closeRequest(id: atom) == CloseRequestRecord(id: 1, symbol: "ATOMUSDT", requestedAt: Timestamp(milliseconds: 1_000),
                                                                           state: .done, detail: "ATOMUSDT closed",
                                                                           resolvedAt: Timestamp(milliseconds: 3_000), resolvedByRunID: run))
            // Resolved once only; unknown ids and runs are refused and change nothing.
            #expect(throws: TradeStoreError.closeRequestNotPending(atom)) {
                try store.resolveCloseRequest(id: atom, state: .failed, detail: "again", runID: run, time: Timestamp(milliseconds: 4_000))
            }
            #expect(throws: TradeStoreError.closeRequestNotPending(9)) {
                try store.resolveCloseRequest(id: 9, state: .failed, detail: "none", runID: run, time: Timestamp(milliseconds: 4_000))
            }
            #expect(throws: TradeStoreError.unknownRun(7)) {
                try store.resolveCloseRequest(id: all, state: .done, detail: "x", runID: 7, time: Timestamp(milliseconds: 4_000))
            }
            #expect(try store.closeRequest(id: all)?.state == .pending)
            #expect(try store.closeRequest(id: 9) == nil)

            try harness.injectFailure("close_requests")
            #expect(throws: (any Error).self) { try store.recordCloseRequest(CloseRequestRecord(symbol: nil, requestedAt: Timestamp(milliseconds: 5))) }
            try harness.injectFailure(nil)
            #expect(try harness.rowCount("close_requests") == 2)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func notificationsKeepTheirDeliveryResult(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run(.live))
            let stop = NotificationRecord(runID: run, channel: "telegram", category: .alert, rule: "stop_not_triggered", severity: .critical,
                                          symbol: "ATOMUSDT", text: "ATOMUSDT SHORT: stop should have triggered", createdAt: Timestamp(milliseconds: 1_000))
            let first = try store.recordNotification(stop)
            let hook = try store.recordNotification(NotificationRecord(runID: run, channel: "webhook", category: .alert, rule: "stop_not_triggered",
                                                                       severity: .critical, symbol: "ATOMUSDT", text: "same",
                                                                       createdAt: Timestamp(milliseconds: 1_000)))
            let test = try store.recordNotification(NotificationRecord(runID: nil, channel: "telegram", category: .test, rule: "test",
                                                                       severity: .info, symbol: nil, text: "test message",
                                                                       createdAt: Timestamp(milliseconds: 2_000)))
            #expect([first, hook, test] == [1, 2, 3])
            try store.updateNotification(id: first, state: .sent, attempts: 2, detail: "message 42", time: Timestamp(milliseconds: 1_900))
            try store.updateNotification(id: hook, state: .failed, attempts: 5, detail: "HTTP 500", time: Timestamp(milliseconds: 9_000))

            var sent = stop
            sent.id = 1
            sent.state = .sent
            sent.attempts = 2
            sent.detail = "message 42"
            sent.finishedAt = Timestamp(milliseconds: 1_900)
            let ofRun = try store.notifications(runID: run, limit: 10)
            #expect(ofRun.map(\.id) == [1, 2])
            #expect(ofRun.first == sent)
            #expect(ofRun.last?.state == .failed && ofRun.last?.detail == "HTTP 500" && ofRun.last?.attempts == 5)
            // The latest `limit`, oldest first; nil run: every row.
            #expect(try store.notifications(runID: nil, limit: 2).map(\.id) == [2, 3])
            #expect(try store.notifications(runID: nil, limit: 0) == [])

            #expect(throws: TradeStoreError.notFound(table: "notifications", id: 9)) {
                try store.updateNotification(id: 9, state: .sent, attempts: 1, detail: "", time: Timestamp(milliseconds: 1))
            }
            #expect(throws: TradeStoreError.unknownRun(7)) {
                _ = try store.recordNotification(NotificationRecord(runID: 7, channel: "telegram", category: .alert, rule: "x", severity: .info,
                                                                    symbol: nil, text: "x", createdAt: Timestamp(milliseconds: 1)))
            }
            try harness.injectFailure("notifications")
            #expect(throws: (any Error).self) {
                try store.updateNotification(id: test, state: .sent, attempts: 1, detail: "x", time: Timestamp(milliseconds: 3))
            }
            try harness.injectFailure(nil)
            #expect(try store.notifications(runID: nil, limit: 10).last?.state == .pending)
            #expect(try harness.rowCount("notifications") == 3)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func commandsAreRecordedWithSenderAndOutcome(_ subject: StoreUnderTest) throws {
        try withStore(subject) { harness in
            let store = harness.store
            let run = try store.beginRun(StoreFixtures.run(.paper))
            let stranger = CommandRecord(runID: run, channel: "telegram", updateID: 900, chatID: 666, sender: "@stranger (user 666)",
                                         text: "/close ATOMUSDT", authorized: false, outcome: "ignored: chat 666 is not authorised",
                                         time: Timestamp(milliseconds: 5_000))
            let trader = CommandRecord(runID: run, channel: "telegram", updateID: 901, chatID: -100_123, sender: "@trader (user 42)",
                                       text: "/close ATOMUSDT", authorized: true, outcome: "confirmation code sent", time: Timestamp(milliseconds: 6_000))
            #expect(try store.recordCommand(stranger) == 1)
            #expect(try store.recordCommand(trader) == 2)
            var expected = [stranger, trader]
            expected[0].id = 1
            expected[1].id = 2
            #expect(try store.commands(limit: 10) == expected)
            #expect(try store.commands(limit: 1) == [expected[1]])
            #expect(throws: TradeStoreError.unknownRun(5)) {
                var unknown = trader
                unknown.runID = 5
                _ = try store.recordCommand(unknown)
            }
            try harness.injectFailure("commands")
            #expect(throws: (any Error).self) { _ = try store.recordCommand(trader) }
            try harness.injectFailure(nil)
            #expect(try harness.rowCount("commands") == 2)
        }
    }
}
