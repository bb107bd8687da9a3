import Alerts
import AlertsTestSupport
import Testing
import TradingEngine
import TradingModel

@Suite struct FakeTelegramSmokeTests {
    @Test func startsAndStops() async throws {
        let clock = SteppedClock(ATOM.time(0))
        let port = try await FakeTelegram(clock: clock).run { fake in fake.port.current }
        #expect((port ?? 0) > 0)
    }

    @Test func answersSendMessage() async throws {
        let clock = SteppedClock(ATOM.time(0))
        try await FakeTelegram(clock: clock).run { fake in
            let api = TelegramBotAPI(baseURL: fake.baseURL, token: BotToken(fake.token)!, transport: AsyncHTTPClientAlertTransport())
            // A real (wall-clock) timeout on a real socket: generous, since the full suite can
            // keep both cores busy for seconds; the fake answers at once.
            let id = try await api.sendMessage(chatID: 5, html: "hi", timeout: .seconds(60))
            #expect(id == 1)
        }
    }
}

