#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Alerts
import AlertsTestSupport
import Foundation
import Logging
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import UnixSignals

/// The alert services and a trading session in one `ServiceGroup`, shut down by an injected
/// trigger (the app's SIGINT/SIGTERM): trading stops first, then the "stopping" message goes out
/// and the notifiers drain what is queued within `drain_timeout`.
@Suite("Graceful shutdown of a session with its alert services", .timeLimit(.minutes(5)))
struct AlertShutdownTests {
    static let start = Timestamp(milliseconds: 1_767_571_200_000)

    static func services(_ fake: FakeTelegram, clock: SteppedClock, store: any TradeStore, attemptTimeout: Duration = .seconds(60),
                         logger: Logger = TelegramPaperHarness.quiet) -> AlertServices {
        var settings = AlertSettings.defaults
        settings.rules.marketDataSilent = false
        settings.telegram.enabled = true
        settings.telegram.chatIDs = [TelegramPaperHarness.chat]
        settings.telegram.apiURL = fake.baseURL
        settings.telegram.delivery = DeliveryPolicy(attemptTimeout: attemptTimeout, drainTimeout: .seconds(5))
        return AlertServices(settings: settings, secrets: AlertSecrets(botToken: BotToken(fake.token), webhookSecret: nil), store: store,
                             sessionLabel: "paper test", console: nil, priceSource: .markPrice,
                             environment: AlertServices.Environment(transport: ClockDeadlineTransport(clock: clock), clock: clock, sleep: clock.sleep,
                                                                    makeCode: { "424242" }, logger: logger))
    }

    @Test("trading stops first (notifiers and poller still running), then 'stopping' is sent and the queued messages are delivered")
    func tradingStopsFirstThenNotifiersDrain() async throws {
        let clock = SteppedClock(Self.start)
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptSendMessage([.slow])  // "started" is held at Telegram: the queue has work when the stop comes
            let alerts = Self.services(fake, clock: clock, store: store)
            let events = WatchedValue<[String]>([])
            let signal = WatchedValue(false)
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await Trader.runServices(alerts: alerts, label: "paper test", clock: clock, stopDetail: { "\($0) in the session" }, signals: [],
                                                shutdown: { await signal.wait { $0 } }, logger: TelegramPaperHarness.quiet) { stop in
                        events.update { $0.append("trading") }
                        await stop()
                        let queue = alerts.queues[0].state.current
                        let poller = alerts.poller?.pollState.current
                        events.update { $0.append("trading stops; queue closing \(queue.closing); poller polls \(poller?.requests ?? 0)") }
                        return "2 trades"
                    }
                }
                await events.wait { $0 == ["trading"] }
                await fake.state.wait { $0.inFlight >= 2 }  // "started" held, and the command poller's long poll
                await alerts.center.send(Alert(severity: .critical, kind: "runtime.watchdog", message: "watchdog force-close: ATOMUSDT",
                                         symbol: "ATOMUSDT", time: clock.now))
                await alerts.queues[0].state.wait { $0.queued.count == 1 }
                signal.update { $0 = true }  // SIGINT
                await alerts.queues[0].state.wait { $0.queued.count == 2 && $0.closing }  // "stopping" queued behind, then the drain began
                fake.releaseSlowAnswers()
                let result = try await group.next()
                #expect(result == "2 trades")
            }
            #expect(events.current == ["trading", "trading stops; queue closing false; poller polls 1"])
            let texts = fake.replies
            try #require(texts.count == 3)
            #expect(texts[0].contains("QuantumTrader started"))
            #expect(texts[1].contains("watchdog force-close: ATOMUSDT"))
            #expect(texts[2].contains("QuantumTrader stopping") && texts[2].contains("2 trades in the session"))
        }
        let rows = try store.notifications(runID: nil, limit: 10)
        #expect(rows.map(\.state) == [.sent, .sent, .sent])
        #expect(rows.map(\.category) == [.lifecycle, .alert, .lifecycle])
    }

    @Test("a Telegram that hangs at shutdown: the group ends at drain_timeout on the clock; what was not delivered is recorded dropped")
    func hangingTelegramDoesNotHoldShutdown() async throws {
        let clock = SteppedClock(Self.start)
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptSendMessage([], default: .hang)
            let alerts = Self.services(fake, clock: clock, store: store)
            let signal = WatchedValue(false)
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await Trader.runServices(alerts: alerts, label: "paper test", clock: clock, signals: [], shutdown: { await signal.wait { $0 } },
                                                logger: TelegramPaperHarness.quiet) { stop in
                        await stop()
                        return "stopped"
                    }
                }
                await fake.state.wait { $0.received.contains { $0.method == "sendMessage" } }  // "started" hangs
                signal.update { $0 = true }
                await alerts.queues[0].state.wait { $0.closing && $0.queued.count == 1 }  // "stopping" waits behind it
                await clock.sleeps.wait { $0.contains(.seconds(5)) }  // the drain's deadline is being waited for
                clock.advance(by: .seconds(4))
                #expect(alerts.queues[0].state.current.dropped == 0)
                clock.advance(by: .seconds(1))  // drain_timeout 5 s: the hanging attempt is abandoned, "stopping" dropped
                let result = try await group.next()
                #expect(result == "stopped")
            }
            #expect(fake.state.current.delivered.isEmpty)
        }
        let rows = try store.notifications(runID: nil, limit: 10)
        try #require(rows.map(\.state) == [.dropped, .dropped])
        #expect(rows[0].detail == "dropped: no answer within the drain timeout (5.0 seconds) at shutdown")
        #expect(rows[1].detail == "dropped: the process stopped before it was delivered")
    }

    @Test("Telegram failing at shutdown: a back-off wait is cut short, one last attempt, no retries past the drain")
    func failingTelegramAtShutdownIsNotRetried() async throws {
        let clock = SteppedClock(Self.start)
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptSendMessage([], default: .status(502, description: "Bad Gateway"))
            let alerts = Self.services(fake, clock: clock, store: store)
            let signal = WatchedValue(false)
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await Trader.runServices(alerts: alerts, label: "paper test", clock: clock, signals: [], shutdown: { await signal.wait { $0 } },
                                                logger: TelegramPaperHarness.quiet) { stop in
                        await stop()
                        return "stopped"
                    }
                }
                await alerts.queues[0].state.wait { if case .waiting = $0.activity { true } else { false } }  // "started" failed once
                signal.update { $0 = true }
                let result = try await group.next()
                #expect(result == "stopped")
            }
            // "started": 2 attempts (the back-off was cut short); "stopping": 1 attempt; nothing after the drain.
            #expect(fake.state.current.received.filter { $0.method == "sendMessage" }.count == 3)
            #expect(clock.now == Self.start)
        }
        let rows = try store.notifications(runID: nil, limit: 10)
        #expect(rows.map(\.state) == [.failed, .failed] && rows.map(\.attempts) == [2, 1])
    }

    /// SIGWINCH stands in for SIGINT/SIGTERM: its default action is to ignore it, so a signal sent
    /// after the group stopped trapping (a cancelled test) cannot end the test process.
    @Test("a real Unix signal (SIGWINCH standing in for SIGINT/SIGTERM) stops the session, then 'stopping' is delivered")
    func realSignalStopsTheSession() async throws {
        let clock = SteppedClock(Self.start)
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            let alerts = Self.services(fake, clock: clock, store: store)
            let running = WatchedValue(false)
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await Trader.runServices(alerts: alerts, label: "paper test", clock: clock, signals: [.sigwinch], logger: TelegramPaperHarness.quiet) { stop in
                        running.update { $0 = true }
                        await stop()
                        return "stopped by the signal"
                    }
                }
                // The group traps its signals before it starts any service.
                await running.wait { $0 }
                try #require(running.current && !Task.isCancelled)
                kill(getpid(), SIGWINCH)
                let result = try await group.next()
                #expect(result == "stopped by the signal")
            }
            #expect(fake.replies.last?.contains("QuantumTrader stopping") == true)
        }
        #expect(try store.notifications(runID: nil, limit: 10).map(\.state) == [.sent, .sent])
    }
}
