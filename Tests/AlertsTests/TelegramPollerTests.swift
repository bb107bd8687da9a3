import Alerts
import AlertsTestSupport
import Foundation
import Testing
import TradingEngine
import TradingModel
import TradingTestSupport

/// The command poller on Telegram's bad days: rate limits, errors, hangs, duplicates and
/// updates out of order, late and stale messages, expired codes.
@Suite("Telegram command poller against a fake Telegram on 127.0.0.1", .timeLimit(.minutes(5)))
struct TelegramPollerTests {
    let chat = PollerSetup.chat

    @Test("getUpdates answering 429 waits retry_after on the clock before the next poll; commands then work")
    func rateLimitedPollHonoursRetryAfter() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        let control = RecordingControl()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptGetUpdates([.tooManyRequests(retryAfter: 7)])
            let poller = PollerSetup.poller(fake, clock: clock, store: store, control: control)
            try await PollerSetup.running(poller) {
                await clock.sleeps.wait { $0.count == 1 }
                #expect(clock.sleeps.current == [.seconds(7)])
                #expect(poller.pollState.current.lastError == "getUpdates: HTTP 429 Too Many Requests: retry after 7")
                #expect(poller.pollState.current.waitingUntil == ATOM.time(7))
                clock.advance(by: .seconds(6))
                #expect(fake.polls.count == 1)  // still waiting: no request before retry_after
                clock.advance(by: .seconds(1))
                await fake.waitForPolls(2)
                #expect(fake.polls.map(\.receivedAt) == [ATOM.time(0), ATOM.time(7)])
                fake.pushMessage(updateID: 1, chatID: chat, userID: 42, username: "trader", text: "/halt news")
                await poller.handled.wait { $0 == 1 }
            }
        }
        #expect(control.calls.current == ["halt 'news' by telegram @trader (user 42)"])
    }

    @Test("getUpdates answering 500 backs off 1, 2, 4 s (doubling), one request per wait: no busy loop")
    func failingPollsBackOff() async throws {
        let clock = SteppedClock(ATOM.time(0))
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptGetUpdates([.status(500, description: "Internal Server Error"), .status(502, description: "Bad Gateway"),
                                   .status(500, description: "Internal Server Error")])
            let poller = PollerSetup.poller(fake, clock: clock, store: InMemoryTradeStore(), control: RecordingControl())
            try await PollerSetup.running(poller) {
                for (index, wait) in [Duration.seconds(1), .seconds(2), .seconds(4)].enumerated() {
                    await clock.sleeps.wait { $0.count == index + 1 }
                    #expect(clock.sleeps.current.last == wait)
                    // While it waits, exactly one request per failure has been made.
                    #expect(fake.polls.count == index + 1 && poller.pollState.current.requests == index + 1)
                    #expect(poller.pollState.current.failures == index + 1)
                    clock.advance(by: wait)
                }
                await fake.waitForPolls(4)
                clock.advance(by: .seconds(25))  // the long poll ends empty: a success
                await poller.pollState.wait { $0.failures == 0 }
            }
            #expect(fake.polls.prefix(4).map(\.receivedAt) == [ATOM.time(0), ATOM.time(1), ATOM.time(3), ATOM.time(7)])
        }
    }

    @Test("a getUpdates that never answers times out after the poll and request timeouts, backs off and polls again")
    func hangingPollTimesOut() async throws {
        let clock = SteppedClock(ATOM.time(0))
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptGetUpdates([.hang])
            let poller = PollerSetup.poller(fake, clock: clock, store: InMemoryTradeStore(), control: RecordingControl(),
                                            transport: ClockDeadlineTransport(clock: clock))
            try await PollerSetup.running(poller) {
                await fake.state.wait { $0.inFlight == 1 }
                clock.advance(by: .seconds(34))
                #expect(fake.polls.count == 1 && clock.sleeps.current.isEmpty)
                clock.advance(by: .seconds(1))  // 25 s poll + 10 s request timeout
                await clock.sleeps.wait { !$0.isEmpty }
                #expect(clock.sleeps.current == [.seconds(1)])
                #expect(poller.pollState.current.lastError == "getUpdates: no answer within 35 s")
                #expect(fake.polls.count == 1)
                clock.advance(by: .seconds(1))
                await fake.waitForPolls(2)
            }
            #expect(fake.polls.map(\.receivedAt) == [ATOM.time(0), ATOM.time(36)])
        }
    }

    @Test("duplicate and out-of-order update ids: each command carried out once, in id order; the offset confirms the highest id")
    func duplicatesAndOrder() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        let control = RecordingControl()
        try await FakeTelegram(clock: clock).run { fake in
            // One batch out of order; update 5 is delivered a second time after it was confirmed.
            fake.pushMessage(updateID: 5, chatID: chat, userID: 42, username: "trader", text: "/halt volatile", repeats: 1)
            fake.pushMessage(updateID: 4, chatID: chat, userID: 42, username: "trader", text: "/help")
            let poller = PollerSetup.poller(fake, clock: clock, store: store, control: control)
            try await PollerSetup.running(poller) {
                await poller.handled.wait { $0 == 2 }
                await fake.waitForPolls(3)  // the batch with the duplicate was read, then the next poll began
                // A late update with a lower id than the confirmed offset is never delivered again.
                fake.pushMessage(updateID: 3, chatID: chat, userID: 42, username: "trader", text: "/resume")
                fake.pushMessage(updateID: 6, chatID: chat, userID: 42, username: "trader", text: "/resume calm")
                await poller.handled.wait { $0 == 3 }
                await fake.waitForPolls(4)
            }
            #expect(fake.polls.prefix(3).map(\.offset) == [nil, 6, 6])
            #expect(fake.polls.last?.offset == 7)
        }
        #expect(control.calls.current == ["halt 'volatile' by telegram @trader (user 42)", "resume 'calm' by telegram @trader (user 42)"])
        #expect(try store.commands(limit: 10).sorted { $0.updateID < $1.updateID }.map(\.updateID) == [4, 5, 6])

        // A restarted bot: Telegram delivers update 6 again (its offset was not confirmed); the store knows it.
        let restartControl = RecordingControl()
        try await FakeTelegram(clock: clock).run { fake in
            fake.pushMessage(updateID: 6, chatID: chat, userID: 42, username: "trader", text: "/resume calm")
            let poller = PollerSetup.poller(fake, clock: clock, store: store, control: restartControl)
            try await PollerSetup.running(poller) {
                await fake.waitForPolls(2)
                #expect(fake.polls.last?.offset == 7)
            }
        }
        #expect(restartControl.calls.current.isEmpty)
        #expect(try store.commands(limit: 10).count == 3)
    }

    @Test("an expired confirmation code is refused and recorded; a code is used once; /closeall confirmed closes all")
    func expiredCodes() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        let control = RecordingControl(snapshot: ATOM.snapshot([ATOM.monitored(price: "2.24281")], at: 0))
        try await FakeTelegram(clock: clock).run { fake in
            let poller = PollerSetup.poller(fake, clock: clock, store: store, control: control)
            try await PollerSetup.running(poller) {
                fake.pushMessage(updateID: 1, chatID: chat, userID: 42, username: "trader", text: "/close ATOMUSDT")
                let ask = await fake.waitForReply(containing: "/confirm 424242")
                #expect(ask.contains("ATOMUSDT SHORT 446.03: price move -0.85%, ROE -1.69%") && ask.contains("within 60 s"))
                clock.advance(by: .seconds(61))
                fake.pushMessage(updateID: 2, chatID: chat, userID: 42, username: "trader", text: "/confirm 424242")
                await fake.waitForReply(containing: "Not confirmed: the code expired")
                fake.pushMessage(updateID: 3, chatID: chat, userID: 42, username: "trader", text: "/closeall")
                await poller.handled.wait { $0 == 3 }
                fake.pushMessage(updateID: 4, chatID: chat, userID: 42, username: "trader", text: "/confirm 424242")
                await fake.waitForReply(containing: "close request 1 done")
                fake.pushMessage(updateID: 5, chatID: chat, userID: 42, username: "trader", text: "/confirm 424242")
                await fake.waitForReply(containing: "Not confirmed: no such code")
            }
        }
        #expect(control.calls.current == ["close all by telegram @trader (user 42)"])
        let outcomes = try store.commands(limit: 10).sorted { $0.updateID < $1.updateID }.map(\.outcome)
        try #require(outcomes.count == 5)
        #expect(outcomes[1] == "confirmation refused: the code expired; ask again with /close SYMBOL or /closeall")
        #expect(outcomes[2] == "confirmation code sent for ATOMUSDT")
        #expect(outcomes[4].hasPrefix("confirmation refused: no such code for this chat"))
    }

    @Test("stale messages: sent before the session or older than max_command_age are recorded and answered, not carried out")
    func staleMessages() async throws {
        // The session starts half a second into a second; Telegram dates messages in whole seconds.
        let clock = SteppedClock(ATOM.time(0).advanced(by: .milliseconds(500)))
        let store = InMemoryTradeStore()
        let control = RecordingControl()
        try await FakeTelegram(clock: clock).run { fake in
            let poller = PollerSetup.poller(fake, clock: clock, store: store, control: control)
            try await PollerSetup.running(poller) {
                fake.pushMessage(updateID: 1, chatID: chat, userID: 42, username: "trader", text: "/halt old", date: ATOM.time(-30).milliseconds / 1000)
                fake.pushMessage(updateID: 2, chatID: chat, userID: 42, username: "trader", text: "/halt now")  // dated this very second
                await poller.handled.wait { $0 == 2 }
                clock.advance(by: .seconds(200))
                fake.pushMessage(updateID: 3, chatID: chat, userID: 42, username: "trader", text: "/resume late", date: ATOM.time(100).milliseconds / 1000)
                await poller.handled.wait { $0 == 3 }
                await store.waitUntil { ((try? $0.notifications(runID: nil, limit: 10)) ?? []).filter { $0.state == .sent }.count == 3 }
            }
        }
        #expect(control.calls.current == ["halt 'now' by telegram @trader (user 42)"])
        let outcomes = try store.commands(limit: 10).sorted { $0.updateID < $1.updateID }.map(\.outcome)
        try #require(outcomes.count == 3)
        #expect(outcomes[0] == "ignored: sent at 23:59:30 UTC, before this session started")
        #expect(outcomes[2] == "ignored: sent at 00:01:40 UTC, 100 s ago (older than 60 s)")
        let replies = try store.notifications(runID: nil, limit: 10).filter { $0.category == .reply }
        #expect(replies.count == 3 && replies.allSatisfy { $0.state == .sent && $0.attempts == 1 })
        #expect(replies.contains { $0.text == "Not carried out: sent at 00:01:40 UTC, 100 s ago (older than 60 s). Send it again if you still want it." })
    }

    @Test("every answer is recorded in notifications (category reply) with its delivery result; a failed answer after three attempts too")
    func repliesRecorded() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            let poller = PollerSetup.poller(fake, clock: clock, store: store, control: RecordingControl())
            try await PollerSetup.running(poller) {
                fake.pushMessage(updateID: 1, chatID: chat, userID: 42, username: "trader", text: "/halt fomc")
                await fake.waitForReply(containing: "HALTED: fomc")
                await store.waitUntil { (try? $0.notifications(runID: nil, limit: 5).first?.state) == .sent }
                fake.scriptSendMessage([.status(500, description: "Internal Server Error"), .status(500, description: "Internal Server Error"),
                                        .status(503, description: "Service Unavailable")])
                fake.pushMessage(updateID: 2, chatID: chat, userID: 42, username: "trader", text: "/nonsense")
                await clock.sleeps.wait { $0.count == 1 }
                clock.advance(by: .seconds(1))
                await clock.sleeps.wait { $0.count == 2 }
                clock.advance(by: .seconds(2))
                await store.waitUntil { (try? $0.notifications(runID: nil, limit: 5).last?.state) == .failed }
            }
        }
        let rows = try store.notifications(runID: nil, limit: 5)
        try #require(rows.count == 2)
        #expect(rows.map(\.category) == [.reply, .reply] && rows.map(\.channel) == ["telegram", "telegram"])
        #expect(rows[0].text == "HALTED: fomc; the session takes no new entries")
        #expect(rows[0].state == .sent && rows[0].detail == "message 1 to chat 1001 (reply to update 1)")
        #expect(rows[1].text == "unknown command /nonsense; send /help for the list")
        #expect(rows[1].state == .failed && rows[1].attempts == 3)
        #expect(rows[1].detail == "3 attempt(s) failed, last: sendMessage: HTTP 503 Service Unavailable")
        let commands = try store.commands(limit: 5).sorted { $0.updateID < $1.updateID }
        #expect(commands.map(\.outcome) == ["HALTED: fomc; the session takes no new entries", "refused: unknown command /nonsense; send /help for the list"])
    }
}
