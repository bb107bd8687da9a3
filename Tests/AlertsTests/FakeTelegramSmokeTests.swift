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
            let id = try await api.sendMessage(chatID: 5, html: "hi", timeout: .seconds(5))
            #expect(id == 1)
        }
    }
}

