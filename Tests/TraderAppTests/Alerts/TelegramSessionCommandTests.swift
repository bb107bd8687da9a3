import Alerts
import AlertsTestSupport
import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Phone commands that change the session (close all, halt, resume) and a command poller on a
/// bad day, in a paper session on the local venue with a fake Telegram.
@Suite("Telegram commands acting on a paper session on the local venue", .timeLimit(.minutes(5)))
struct TelegramSessionCommandTests {
    static let chat = TelegramPaperHarness.chat

    @Test("/closeall with a confirmation closes every open position through its exit owner, one reduce-only order each")
    func closeAllFromThePhone() async throws {
        let points = [HarnessPoint("ATOMUSDT", "2.22"), HarnessPoint("ATOMUSDT", "2.22", closesBar: true), HarnessPoint("ATOMUSDT", "2.224"),
                      HarnessPoint("LINKUSDT", "2.30"), HarnessPoint("LINKUSDT", "2.30", closesBar: true), HarnessPoint("LINKUSDT", "2.31"),
                      HarnessPoint("ATOMUSDT", "2.23")]
        try await TelegramPaperHarness.run(points: points, shortEveryBar: false, enforcesStop: true, commands: true) { harness in
            for _ in 1..<points.count { await harness.step() }
            let poller = try #require(harness.alerts.poller)
            let center = harness.alerts.center
            await center.progress.wait { _ in center.snapshot?.positions.count == 2 }
            let before = harness.client.submitted.current.count
            #expect(before == 4)  // two entries, two backstops
            harness.fake.pushMessage(updateID: 1, chatID: Self.chat, userID: 42, username: "trader", text: "/closeall")
            let ask = await harness.fake.waitForReply(containing: "/confirm 424242")
            #expect(ask.contains("• ATOMUSDT SHORT 446.03") && ask.contains("• LINKUSDT SHORT 446.03"))
            #expect(harness.client.submitted.current.count == before)  // nothing before the confirmation
            harness.fake.pushMessage(updateID: 2, chatID: Self.chat, userID: 42, username: "trader", text: "/confirm 424242")
            await harness.store.waitUntil { !((try? $0.pendingCloseRequests()) ?? []).isEmpty }
            await harness.tick()
            let done = await harness.fake.waitForReply(containing: "close request 1 done")
            #expect(done.contains("ATOMUSDT, LINKUSDT"))
            await poller.handled.wait { $0 == 2 }
            let closes = harness.client.reduceOnlyCloses
            #expect(closes.map(\.symbol) == ["ATOMUSDT", "LINKUSDT"])
            #expect(closes.allSatisfy { $0.type == .market && $0.side == .buy && $0.quantity == Quantity("446.03") })
            #expect(harness.client.submitted.current.count == before + 2)
            #expect(try harness.store.trades(runID: 1).map(\.exitReason) == ["manual", "manual"])
            let commands = try harness.store.commands(limit: 5).sorted { $0.updateID < $1.updateID }
            #expect(commands.map(\.outcome).first == "confirmation code sent for ATOMUSDT, LINKUSDT")
            #expect(commands.last?.outcome.hasPrefix("close request 1 done") == true && commands.last?.sender == "@trader (user 42)")
        }
    }

    @Test("/halt from the phone blocks the next entry; /resume allows the one after; both recorded with the sender and outcome")
    func haltAndResumeFromThePhone() async throws {
        // A signal at a closed bar is acted on at the next price: bar 1 → decided at point 2; bar 3 → at point 4.
        let points = [HarnessPoint("ATOMUSDT", "2.22"), HarnessPoint("ATOMUSDT", "2.22", closesBar: true), HarnessPoint("ATOMUSDT", "2.22"),
                      HarnessPoint("ATOMUSDT", "2.22", closesBar: true), HarnessPoint("ATOMUSDT", "2.224"), HarnessPoint("ATOMUSDT", "2.224")]
        try await TelegramPaperHarness.run(points: points, shortEveryBar: true, enforcesStop: true, commands: true) { harness in
            let poller = try #require(harness.alerts.poller)
            await harness.tick()  // the session has read the store's manual state (ACTIVE)
            harness.fake.pushMessage(updateID: 1, chatID: Self.chat, userID: 42, username: "trader", text: "/halt CPI in 5 minutes")
            await harness.store.waitUntil { ((try? $0.riskEvents(runID: nil)) ?? []).count == 1 }
            await harness.tick()
            let halted = await harness.fake.waitForReply(containing: "HALTED")
            #expect(halted.contains("the session takes no new entries"))
            await harness.step()  // bar 1 closes: SHORT signal
            await harness.step()  // its entry is refused
            #expect(harness.client.submitted.current.isEmpty)
            harness.fake.pushMessage(updateID: 2, chatID: Self.chat, userID: 42, username: "trader", text: "/resume CPI out")
            await harness.store.waitUntil { ((try? $0.riskEvents(runID: nil)) ?? []).count == 2 }
            await harness.tick()
            let resumed = await harness.fake.waitForReply(containing: "ACTIVE")
            #expect(resumed.contains("the session takes entries again"))
            await harness.step()  // bar 3 closes: SHORT signal
            await harness.step()  // taken
            await harness.step()
            #expect(harness.client.submitted.current.filter { !$0.reduceOnly && !$0.closePosition }.count == 1)
            await poller.handled.wait { $0 == 2 }
            let decisions = try harness.store.decisions(runID: 1)
            #expect(decisions.map(\.approved) == [false, true])
            #expect(decisions.first?.reasons.first?.contains("manual halt") == true)
            let events = try harness.store.riskEvents(runID: nil)
            #expect(events.map(\.state) == ["halted", "resumed"])
            #expect(events.allSatisfy { $0.detail.contains("telegram @trader (user 42)") })
            let commands = try harness.store.commands(limit: 5).sorted { $0.updateID < $1.updateID }
            try #require(commands.map(\.sender) == ["@trader (user 42)", "@trader (user 42)"])
            #expect(commands[0].outcome.hasPrefix("HALTED") && commands[0].outcome.hasSuffix("the session takes no new entries"))
            #expect(commands[1].outcome.hasPrefix("ACTIVE") && commands[1].outcome.hasSuffix("the session takes entries again"))
            let alerts = try harness.store.alerts(runID: nil).map(\.alert.kind)
            #expect(alerts.contains("runtime.manual_halt") && alerts.contains("runtime.manual_resume"))
        }
    }

    @Test("getUpdates hanging, failing or rate-limited does not delay the close of a crossing stop, and never loops without waiting",
          arguments: [FakeTelegram.Answer.hang, .status(500, description: "Internal Server Error"), .tooManyRequests(retryAfter: 30)])
    func failingCommandPollDoesNotDelayTrading(_ answer: FakeTelegram.Answer) async throws {
        try await TelegramPaperHarness.run(prices: Array(TelegramAlertAcceptanceTests.path.prefix(7)), enforcesStop: true, telegram: { fake in
            fake.scriptGetUpdates([], default: answer)
        }, commands: true) { harness in
            let poller = try #require(harness.alerts.poller)
            await harness.fake.waitForPolls(1)
            for _ in 1..<TelegramAlertAcceptanceTests.crossing { await harness.step() }
            let started = ContinuousClock.now
            await harness.step()  // the crossing price
            let elapsed = ContinuousClock.now - started
            #expect(harness.client.reduceOnlyCloses.count == 1)
            #expect(try harness.store.trades(runID: 1).first?.exitTime == TelegramPaperHarness.time(TelegramAlertAcceptanceTests.crossing))
            #expect(elapsed < .seconds(30))  // a hanging poll ends after 35 s: waiting for it would take longer
            // Five seconds of session time: the back-off allows at most one poll per second of it (1, 2, 4 s waits; 30 s retry_after).
            // The poller counts a request before it reaches the fake: wait for the ones it sent (the
            // session clock stands still now, so no back-off ends and no further poll starts).
            let requests = poller.pollState.current.requests
            await harness.fake.waitForPolls(requests)
            let polls = harness.fake.polls.count
            print("getUpdates \(answer): \(polls) poll(s) in 5 s of session time; crossing handled in \(elapsed) (wall clock)")
            #expect(polls <= 3)
            #expect(requests == polls)
        }
    }
}
