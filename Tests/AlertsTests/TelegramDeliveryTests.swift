import Alerts
import AlertsTestSupport
import Foundation
import Testing
import TradingEngine
import TradingModel
import TradingTestSupport

@Suite("Telegram and webhook delivery against a fake server on 127.0.0.1", .timeLimit(.minutes(5)))
struct TelegramDeliveryTests {
    static func message(_ title: String = "ATOMUSDT SHORT: stop should have triggered", severity: AlertSeverity = .critical,
                        at time: Timestamp = ATOM.time(0)) -> AlertMessage {
        AlertMessage(category: .alert, rule: "stop_not_triggered", severity: severity, symbol: "ATOMUSDT", title: title,
                     lines: [AlertMessage.Line("Price", "2.2507 <beyond> & over")], time: time)
    }

    static func queue(_ fake: FakeTelegram, clock: SteppedClock, store: any TradeStore, policy: DeliveryPolicy = DeliveryPolicy(),
                      token: String? = nil, outcomes: WatchedValue<[String]> = WatchedValue([])) -> DeliveryQueue {
        let api = TelegramBotAPI(baseURL: fake.baseURL, token: BotToken(token ?? fake.token)!, transport: ClockDeadlineTransport(clock: clock))
        return DeliveryQueue(notifier: TelegramNotifier(api: api, chatID: 1001, timeout: policy.attemptTimeout), policy: policy, store: store,
                             clock: clock, sleep: clock.sleep, logger: quietLogger,
                             onOutcome: { channel, delivered, detail, _ in outcomes.update { $0.append("\(channel) \(delivered) \(detail)") } })
    }

    static func record(_ store: any TradeStore, _ message: AlertMessage) throws -> Int64 {
        try store.recordNotification(NotificationRecord(runID: nil, channel: "telegram", category: message.category, rule: message.rule,
                                                        severity: message.severity, symbol: message.symbol, text: message.plainText,
                                                        createdAt: message.time))
    }

    @Test("a 429 waits retry_after on the clock, a 500 is retried after the back-off; the attempts and answer are recorded")
    func retriesHonourRetryAfter() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptSendMessage([.tooManyRequests(retryAfter: 3), .status(500, description: "Internal Server Error")])
            let queue = Self.queue(fake, clock: clock, store: store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await queue.run() }
                let message = Self.message()
                queue.offer(DeliveryQueue.Item(message: message, recordID: try Self.record(store, message)))
                // Wait for the sleep itself (its deadline is fixed when it is recorded), not only for the
                // queue's state: advancing the clock before the sleep starts would move its deadline.
                await clock.sleeps.wait { $0.count == 1 }
                #expect(clock.sleeps.current == [.seconds(3)])
                clock.advance(by: .seconds(3))
                await clock.sleeps.wait { $0.count == 2 }
                #expect(queue.state.current.activity == .waiting(until: ATOM.time(5)))  // 500 on the second attempt: back-off 2 s
                clock.advance(by: .seconds(2))
                await queue.state.wait { $0.delivered == 1 && $0.activity == .idle }
                group.cancelAll()
            }
            let received = fake.state.current.received
            #expect(received.map(\.receivedAt) == [ATOM.time(0), ATOM.time(3), ATOM.time(5)])
            let text = try #require(fake.state.current.delivered.first?.text)
            #expect(text.contains("<b>ATOMUSDT SHORT: stop should have triggered</b>"))
            #expect(text.contains("Price: <b>2.2507 &lt;beyond&gt; &amp; over</b>"))
        }
        let row = try #require(try store.notifications(runID: nil, limit: 1).first)
        #expect(row.state == .sent && row.attempts == 3 && row.detail == "message 1 to chat 1001")
    }

    @Test("a refused token is not retried; the error names Telegram's answer and never the token")
    func badTokenIsRefused() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        let wrong = "999999:WRONG-token-abcdefghijklmnopqrstu"
        let outcomes = WatchedValue<[String]>([])
        try await FakeTelegram(clock: clock).run { fake in
            let queue = Self.queue(fake, clock: clock, store: store, token: wrong, outcomes: outcomes)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await queue.run() }
                queue.offer(DeliveryQueue.Item(message: Self.message(), recordID: try Self.record(store, Self.message())))
                await queue.state.wait { $0.failed == 1 }
                group.cancelAll()
            }
            #expect(fake.state.current.received.count == 1)
        }
        let row = try #require(try store.notifications(runID: nil, limit: 1).first)
        #expect(row.state == .failed && row.attempts == 1)
        #expect(row.detail == "refused: sendMessage: HTTP 401 Unauthorized")
        #expect(!row.detail.contains(wrong) && !outcomes.current.joined().contains(wrong))
    }

    @Test("a notifier that never answers times out and is retried; every attempt failing is recorded as failed")
    func hangingServerFails() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptSendMessage([], default: .hang)
            let queue = Self.queue(fake, clock: clock, store: store, policy: DeliveryPolicy(maxAttempts: 2, attemptTimeout: .seconds(1)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await queue.run() }
                queue.offer(DeliveryQueue.Item(message: Self.message(), recordID: try Self.record(store, Self.message())))
                // The attempt timeout runs on the test clock: each hanging attempt ends when the clock passes it.
                await fake.state.wait { $0.received.count == 1 }
                clock.advance(by: .seconds(1))  // the first attempt times out
                await clock.sleeps.wait { $0.count == 1 }  // the back-off
                clock.advance(by: .seconds(1))
                await fake.state.wait { $0.received.count == 2 }
                clock.advance(by: .seconds(1))  // the second attempt times out
                await queue.state.wait { $0.failed == 1 }
                group.cancelAll()
            }
        }
        let row = try #require(try store.notifications(runID: nil, limit: 1).first)
        #expect(row.state == .failed && row.attempts == 2)
        #expect(row.detail == "2 attempt(s) failed, last: sendMessage: no answer within 1 s")
    }

    @Test("a full queue drops its oldest non-critical message and records it; offer never waits")
    func boundedQueueDrops() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let store = InMemoryTradeStore()
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptSendMessage([.slow])
            let queue = Self.queue(fake, clock: clock, store: store, policy: DeliveryPolicy(queueCapacity: 2))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await queue.run() }
                let first = Self.message("first", severity: .warning)
                queue.offer(DeliveryQueue.Item(message: first, recordID: try Self.record(store, first)))
                await fake.state.wait { $0.inFlight == 1 }
                for (title, severity) in [("warn", AlertSeverity.warning), ("crit", .critical), ("crit2", .critical)] {
                    let message = Self.message(title, severity: severity)
                    queue.offer(DeliveryQueue.Item(message: message, recordID: try Self.record(store, message)))
                }
                #expect(queue.state.current.queued.map(\.message.title) == ["crit", "crit2"])
                fake.releaseSlowAnswers()
                await queue.state.wait { $0.delivered == 3 && $0.queued.isEmpty && $0.activity == .idle }
                group.cancelAll()
            }
            #expect(fake.state.current.delivered.compactMap(\.text).map { $0.contains("crit") } == [false, true, true])
        }
        let rows = try store.notifications(runID: nil, limit: 10)
        #expect(rows.map(\.state) == [.sent, .dropped, .sent, .sent])
        #expect(rows[1].detail == "dropped: the telegram queue was full (2 messages)")
    }

    @Test("webhook: JSON body signed with HMAC-SHA256 over timestamp and body; 500 retried")
    func webhookSignedPost() async throws {
        let clock = SteppedClock(ATOM.time(0))
        try await FakeTelegram(clock: clock).run { fake in
            fake.scriptWebhook([.status(500, description: "down")])
            let secret = WebhookSecret("hook-secret")!
            let notifier = WebhookNotifier(url: fake.baseURL + "/webhook", secret: secret, transport: ClockDeadlineTransport(clock: clock), clock: clock, runID: 7)
            let queue = DeliveryQueue(notifier: notifier, policy: DeliveryPolicy(), store: nil, clock: clock, sleep: clock.sleep, logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await queue.run() }
                queue.offer(DeliveryQueue.Item(message: Self.message(), recordID: nil))
                await clock.sleeps.wait { $0.count == 1 }
                clock.advance(by: .seconds(1))
                await queue.state.wait { $0.delivered == 1 }
                group.cancelAll()
            }
            let post = try #require(fake.state.current.webhooks.first)
            let timestamp = try #require(post.headers["x-qt-timestamp"])
            #expect(timestamp == "\(ATOM.time(1).milliseconds)")
            #expect(post.headers["x-qt-signature"] == "sha256=" + WebhookNotifier.signature(body: Array(post.body.utf8), timestamp: timestamp, secret: secret))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(post.body.utf8)) as? [String: Any])
            #expect(json["rule"] as? String == "stop_not_triggered" && json["severity"] as? String == "CRITICAL")
            #expect(json["symbol"] as? String == "ATOMUSDT" && (json["run_id"] as? NSNumber)?.int64Value == 7)
            #expect(!post.body.contains("hook-secret"))
        }
    }
}
