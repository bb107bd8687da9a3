import Alerts
import AlertsTestSupport
import Foundation
import Logging
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The bot token and the webhook secret: from the environment or the key file, a clear refusal
/// when Telegram is on without a token, and never in a log line, an error or the store.
@Suite("Alert secrets: loading and never leaking", .timeLimit(.minutes(5)))
struct AlertSecretsTests {
    static let token = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
    static let webhookSecret = "hook-secret-0123456789"

    static var telegramOn: AlertSettings {
        var settings = AlertSettings.defaults
        settings.telegram.enabled = true
        settings.telegram.chatIDs = [1001]
        return settings
    }

    /// A key file outside the repository with `text` and `mode`.
    static func keyFile(_ text: String, mode: Int = 0o600) throws -> String {
        let directory = Integration.temporaryDirectory("keys")
        let path = directory + "/qt.keys"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static func refusal(_ body: () throws(LiveCredentialsError) -> AlertSecrets) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.message
        }
    }

    @Test("from the environment: the token and the webhook secret; every textual form redacted")
    func fromEnvironment() throws {
        let secrets = try AlertSecrets.load(settings: Self.telegramOn, environment: [AlertSecrets.tokenName: Self.token,
                                                                                    AlertSecrets.webhookSecretName: Self.webhookSecret],
                                            keyFile: nil, repositoryRoot: nil)
        #expect(secrets.botToken?.value == Self.token && secrets.webhookSecret?.value == Self.webhookSecret)
        var dumped = ""
        dump(secrets, to: &dumped)
        for text in ["\(secrets)", String(reflecting: secrets), dumped, "\(secrets.botToken!)", String(reflecting: secrets.botToken!),
                     "\(secrets.webhookSecret!)"] {
            #expect(!text.contains(Self.token) && !text.contains(Self.webhookSecret), "\(text)")
        }
        let api = TelegramBotAPI(baseURL: "http://127.0.0.1:1", token: secrets.botToken!, transport: AsyncHTTPClientAlertTransport())
        var apiDump = ""
        dump(api, to: &apiDump)
        #expect(!"\(api)".contains(Self.token) && !apiDump.contains(Self.token))
    }

    @Test("from the key file (mode 600, outside the repository), which wins over the environment")
    func fromKeyFile() throws {
        let path = try Self.keyFile("# alerts\n\(AlertSecrets.tokenName)=\(Self.token)\n\(AlertSecrets.webhookSecretName) = \(Self.webhookSecret)\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let secrets = try AlertSecrets.load(settings: Self.telegramOn, environment: [AlertSecrets.tokenName: "999:other-token-abcdefghijklmnopqrst"],
                                            keyFile: path, repositoryRoot: BacktestConfigTests.root)
        #expect(secrets.botToken?.value == Self.token && secrets.webhookSecret?.value == Self.webhookSecret)
    }

    @Test("Telegram on without a token, or with a malformed one: a start-up refusal naming the variable and the source, never a value")
    func refusals() throws {
        #expect(Self.refusal { () throws(LiveCredentialsError) in
            try AlertSecrets.load(settings: Self.telegramOn, environment: [:], keyFile: nil, repositoryRoot: nil)
        } == "[alerts.telegram] is enabled but QT_TELEGRAM_BOT_TOKEN is not set in the environment (the token @BotFather gave you)")
        let empty = try Self.keyFile("\(AlertSecrets.webhookSecretName)=\(Self.webhookSecret)\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(Self.refusal { () throws(LiveCredentialsError) in
            try AlertSecrets.load(settings: Self.telegramOn, environment: [:], keyFile: empty, repositoryRoot: nil)
        } == "[alerts.telegram] is enabled but QT_TELEGRAM_BOT_TOKEN is not set in key file \(empty) (the token @BotFather gave you)")
        let malformed = "not-a-token-but-a-secret-anyway"
        let message = Self.refusal { () throws(LiveCredentialsError) in
            try AlertSecrets.load(settings: Self.telegramOn, environment: [AlertSecrets.tokenName: malformed], keyFile: nil, repositoryRoot: nil)
        }
        #expect(message == "QT_TELEGRAM_BOT_TOKEN in the environment is not a bot token (expected <digits>:<secret> as @BotFather gives it)")
        // Telegram off: no token needed.
        #expect(try AlertSecrets.load(settings: AlertSettings.defaults, environment: [:], keyFile: nil, repositoryRoot: nil).botToken == nil)
    }

    @Test("a key file readable by others, inside the repository or with a wrong line is refused without echoing a value")
    func keyFileRefusals() throws {
        let open = try Self.keyFile("\(AlertSecrets.tokenName)=\(Self.token)\n", mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: open) }
        let readable = Self.refusal { () throws(LiveCredentialsError) in
            try AlertSecrets.load(settings: Self.telegramOn, environment: [:], keyFile: open, repositoryRoot: nil)
        }
        #expect(readable == "key file \(open) is readable by group or others (mode 644); run chmod 600 \(open)")
        let typo = try Self.keyFile("\(AlertSecrets.tokenName)=\(Self.token)\nQT_TELEGRAM_TOKEN=\(Self.token)\n")
        defer { try? FileManager.default.removeItem(atPath: typo) }
        let line = Self.refusal { () throws(LiveCredentialsError) in
            try AlertSecrets.load(settings: Self.telegramOn, environment: [:], keyFile: typo, repositoryRoot: nil)
        }
        #expect(line?.hasPrefix("key file \(typo) line 2: expected one of") == true)
        #expect(line?.contains(Self.token) == false)
        let inside = Self.refusal { () throws(LiveCredentialsError) in
            try AlertSecrets.load(settings: Self.telegramOn, environment: [:], keyFile: BacktestConfigTests.root + "/config/default.toml",
                                  repositoryRoot: BacktestConfigTests.root)
        }
        #expect(inside?.contains("is inside the repository") == true)
    }

    @Test("the token never reaches the log, an error, a reply record or the store, even when Telegram echoes it back")
    func tokenNeverLeaks() async throws {
        let clock = SteppedClock(AlertShutdownTests.start)
        let store = InMemoryTradeStore()
        let log = RecordedLog()
        try await FakeTelegram(token: Self.token, clock: clock).run { fake in
            // A proxy in front of Telegram that echoes the request path (with the token) in its errors.
            fake.scriptSendMessage([.status(400, description: "Bad Request: chat not found for /bot\(Self.token)/sendMessage")])
            fake.scriptGetUpdates([.status(502, description: "Bad Gateway at /bot\(Self.token)/getUpdates")])
            var settings = Self.telegramOn
            settings.telegram.apiURL = fake.baseURL
            settings.timerInterval = .seconds(7)  // the alert timer's waits apart from the poller's 1 s back-off
            let secrets = try AlertSecrets.load(settings: settings, environment: [AlertSecrets.tokenName: Self.token], keyFile: nil, repositoryRoot: nil)
            let alerts = AlertServices(settings: settings, secrets: secrets, store: store, sessionLabel: "paper test", console: nil, priceSource: .markPrice,
                                       environment: AlertServices.Environment(transport: AsyncHTTPClientAlertTransport(), clock: clock,
                                                                              sleep: clock.sleep, makeCode: { "424242" },
                                                                              logger: log.logger(label: "qt.alerts")))
            let signal = WatchedValue(false)
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await Trader.runServices(alerts: alerts, label: "paper test", clock: clock, signals: [], shutdown: { await signal.wait { $0 } },
                                                logger: log.logger(label: "qt.paper")) { stop in
                        await stop()
                        return "stopped"
                    }
                }
                let poller = try #require(alerts.poller)
                await clock.sleeps.wait { $0.contains(.seconds(1)) }  // the poller waits its back-off (moving the clock earlier would move it)
                #expect(poller.pollState.current.lastError == "getUpdates: HTTP 502 Bad Gateway at /bot<bot token>/getUpdates")
                clock.advance(by: .seconds(1))
                fake.pushMessage(updateID: 1, chatID: 1001, userID: 42, username: "trader", text: "/status")
                fake.pushMessage(updateID: 2, chatID: 666, userID: 666, username: "stranger", text: "/close ATOMUSDT")
                await poller.handled.wait { $0 == 2 }
                await store.waitUntil { ((try? $0.notifications(runID: nil, limit: 10)) ?? []).contains { $0.category == .reply && $0.state == .sent } }
                signal.update { $0 = true }
                _ = try await group.next()
            }
        }
        let notifications = try store.notifications(runID: nil, limit: 50)
        #expect(notifications.first?.state == .failed)
        #expect(notifications.first?.detail == "refused: sendMessage: HTTP 400 Bad Request: chat not found for /bot<bot token>/sendMessage")
        var texts = notifications.flatMap { [$0.text, $0.detail] }
        texts += try store.commands(limit: 50).flatMap { [$0.text, $0.outcome, $0.sender] }
        texts += try store.alerts(runID: nil).map { $0.alert.message }
        texts += log.all.flatMap { [$0.message] + $0.metadata.values }
        #expect(log.all.contains { $0.message == "telegram.poll_failed" } && log.all.contains { $0.message == "alerts.delivery_failed" })
        #expect(texts.count > 10)
        #expect(!texts.contains { $0.contains(Self.token) || $0.contains("TEST-token") })
    }
}
