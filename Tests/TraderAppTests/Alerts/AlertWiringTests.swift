import Alerts
import AlertsTestSupport
import Foundation
import Logging
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt alerts test`, backtests with `[alerts]` on, and `qt paper --venue` stopped by Ctrl-C.
@Suite("Alert wiring: qt alerts test, backtests, paper Ctrl-C", .timeLimit(.minutes(5)))
struct AlertWiringTests {
    static let token = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"

    /// A configuration file with Telegram (one chat) and the webhook on the fake server, and a SQLite store.
    static func writeConfig(_ directory: String, telegram: String?, webhook: String?) throws -> String {
        var text = "[execution]\npolicy = \"exit-engine\"\n\n[storage]\npath = \"\(directory)/qt.sqlite\"\n"
        if let telegram { text += "\n[alerts.telegram]\nenabled = true\nchat_ids = [\"1001\"]\napi_url = \"\(telegram)\"\n" }
        if let webhook { text += "\n[alerts.webhook]\nenabled = true\nurl = \"\(webhook)\"\nmax_attempts = 2\n" }
        let path = directory + "/alerts.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func environment(_ clock: SteppedClock) -> @Sendable (any TradingClock) -> AlertServices.Environment {
        { _ in
            AlertServices.Environment(transport: AsyncHTTPClientAlertTransport(), clock: clock, sleep: { _ in }, makeCode: { "000000" },
                                      logger: TelegramPaperHarness.quiet)
        }
    }

    @Test("qt alerts test: one message through Telegram and the webhook, each result reported and recorded; exit 0")
    func alertsTestSendsThroughEachNotifier() async throws {
        let directory = Integration.temporaryDirectory("alerts-test-ok")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SteppedClock(Integration.start)
        let report = try await FakeTelegram(clock: clock).run { fake in
            let config = try Self.writeConfig(directory, telegram: fake.baseURL, webhook: fake.baseURL + "/webhook")
            let report = await AlertTest.run(configPath: config, keyFile: nil, environment: [AlertSecrets.tokenName: Self.token],
                                             repositoryRoot: nil, services: Self.environment(clock), clock: clock)
            #expect(fake.state.current.delivered.first?.text?.contains("QuantumTrader test message") == true)
            #expect(fake.state.current.delivered.first?.chatID == 1001)
            #expect(fake.state.current.webhooks.count == 1)
            return report
        }
        #expect(report.succeeded && report.errors.isEmpty)
        #expect(report.lines == ["telegram: sent — message 1 to chat 1001", "webhook: sent — HTTP 200",
                                 "store:  recorded in \(directory)/qt.sqlite (qt alerts history --db \(directory)/qt.sqlite)"])
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite")
        let rows = try store.notifications(runID: nil, limit: 10)
        #expect(rows.map(\.channel) == ["telegram", "webhook"] && rows.allSatisfy { $0.category == .test && $0.state == .sent })
    }

    @Test("qt alerts test with a failing webhook: non-zero exit, the reason named; Telegram still reported sent")
    func alertsTestFailingNotifier() async throws {
        let directory = Integration.temporaryDirectory("alerts-test-fail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SteppedClock(Integration.start)
        let report = try await FakeTelegram(clock: clock).run { fake in
            fake.scriptWebhook([], default: .status(500, description: "down"))
            let config = try Self.writeConfig(directory, telegram: fake.baseURL, webhook: fake.baseURL + "/webhook")
            return await AlertTest.run(configPath: config, keyFile: nil, environment: [AlertSecrets.tokenName: Self.token], repositoryRoot: nil,
                                       services: Self.environment(clock), clock: clock)
        }
        #expect(!report.succeeded)
        #expect(report.lines.prefix(2) == ["telegram: sent — message 1 to chat 1001", "webhook: FAILED — 2 attempt(s) failed, last: HTTP 500"])
        let store = try SQLiteTradeStore(path: directory + "/qt.sqlite")
        #expect(try store.notifications(runID: nil, limit: 10).map(\.state) == [.sent, .failed])
    }

    @Test("qt alerts test refuses clearly: no notifier enabled, Telegram on without a token, a refused token (never printed)")
    func alertsTestRefusals() async throws {
        let directory = Integration.temporaryDirectory("alerts-test-refused")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SteppedClock(Integration.start)
        let none = try Self.writeConfig(directory, telegram: nil, webhook: nil)
        let noNotifier = await AlertTest.run(configPath: none, keyFile: nil, environment: [:], repositoryRoot: nil, services: Self.environment(clock),
                                             clock: clock)
        #expect(!noNotifier.succeeded && noNotifier.errors.first?.hasPrefix("no notifier is enabled") == true)
        try await FakeTelegram(clock: clock).run { fake in
            let config = try Self.writeConfig(directory, telegram: fake.baseURL, webhook: nil)
            let missing = await AlertTest.run(configPath: config, keyFile: nil, environment: [:], repositoryRoot: nil,
                                              services: Self.environment(clock), clock: clock)
            #expect(missing.errors == ["[alerts.telegram] is enabled but QT_TELEGRAM_BOT_TOKEN is not set in the environment (the token @BotFather gave you)"])
            let wrong = "999999:WRONG-token-abcdefghijklmnopqrstu"
            let refused = await AlertTest.run(configPath: config, keyFile: nil, environment: [AlertSecrets.tokenName: wrong], repositoryRoot: nil,
                                              services: Self.environment(clock), clock: clock)
            #expect(!refused.succeeded)
            #expect(refused.lines.first == "telegram: FAILED — refused: sendMessage: HTTP 401 Unauthorized")
            #expect(!(refused.lines + refused.errors).joined().contains(wrong))
            #expect(fake.state.current.received.count == 1)
        }
    }

    @Test("a backtest with [alerts] Telegram and webhook enabled sends nothing and records its alerts in the store")
    func backtestSendsNothing() async throws {
        let directory = Integration.temporaryDirectory("backtest-alerts")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SteppedClock(Integration.start)
        try await FakeTelegram(clock: clock).run { fake in
            let config = try ValidatorWiringTests.config(validation: "confidence_check = false\ntrend_check = false",
                                                         risk: "daily_loss_limit = 0.004\nreducing_threshold = 0\nflatten_on_halt = false",
                                                         extra: """
                                                             [alerts.telegram]
                                                             enabled = true
                                                             chat_ids = ["1001"]
                                                             api_url = "\(fake.baseURL)"

                                                             [alerts.webhook]
                                                             enabled = true
                                                             url = "\(fake.baseURL)/webhook"
                                                             """)
            #expect(config.alerts.telegram.enabled && config.alerts.webhook.enabled)
            let store = try SQLiteTradeStore(path: directory + "/qt.sqlite", durability: .relaxed)
            let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262"),
                                               Integration.flat("2.262"), Integration.flat("2.262"), Integration.flat("2.262")])
            let strategy = ScriptedSignals(symbol: "ATOMUSDT", [0: (.short, nil), 3: (.short, nil)])
            _ = try BacktestRunner.run(config: config, data: Integration.data("ATOMUSDT", candles), strategies: [strategy], dataFiles: [],
                                       outputDirectory: nil, store: store)
            let run = try #require(try store.runs().first?.id)
            let alerts = try store.alerts(runID: run)
            #expect(alerts.contains { $0.alert.kind == "risk.halted" && $0.alert.severity == .critical })
            #expect(try store.notifications(runID: nil, limit: 10).isEmpty)
            #expect(fake.state.current.received.isEmpty)
        }
    }

    /// A market stream that delivers `events` and then stays open (a live venue).
    struct OpenEndedFeed: MarketDataFeed {
        let events: [MarketEvent]
        func events(symbols: [Symbol]) -> AsyncThrowingStream<MarketEvent, any Error> {
            let events = self.events
            return AsyncThrowingStream { continuation in
                for event in events { continuation.yield(event) }
            }
        }
    }

    @Test("qt paper --venue stopped by SIGINT (injected): the run is finished in the store with its summary; no 'market data ended' alert")
    func paperVenueStopFinishesTheRun() async throws {
        let config = try AppConfig.load(path: BacktestConfigTests.root + "/examples/ema-cross.toml")
        let start = Timestamp(milliseconds: 1_770_000_000_000)
        let events = ScriptedMarketFeed.zigzag(cycles: 3, start: start).events
        let clock = SteppedClock(start)
        let store = InMemoryTradeStore()
        let alerts = AlertServices(settings: AlertSettings.defaults, secrets: AlertSecrets(botToken: nil, webhookSecret: nil), store: store,
                                   sessionLabel: "paper test", console: nil, priceSource: .lastTrade,
                                   environment: AlertServices.Environment(transport: AsyncHTTPClientAlertTransport(), clock: clock, sleep: clock.sleep,
                                                                          makeCode: { "000000" }, logger: TelegramPaperHarness.quiet))
        let signal = WatchedValue(false)
        let result = try await withThrowingTaskGroup(of: PaperRunResult.self) { group in
            group.addTask {
                try await Trader.runServices(alerts: alerts, label: "paper test", clock: clock, stopDetail: { value in
                    guard let result = value as? PaperRunResult else { return "stopped" }
                    return "\(result.trades.count) trade(s), net \(result.trades.reduce(Money.zero) { $0 + $1.netPnL }) USDT"
                }, signals: [], shutdown: { await signal.wait { $0 } }, logger: TelegramPaperHarness.quiet) { stop in
                    try await PaperRunner.run(config: config, symbols: ["LINKUSDT"], feed: OpenEndedFeed(events: events), barInterval: .seconds(60),
                                              clock: ManualClock(start), eventClock: nil, timerInterval: nil, store: store,
                                              alerting: alerts.center, observer: alerts.observer, until: stop)
                }
            }
            await alerts.center.progress.wait { $0 >= events.count }  // every event handled; the stream stays open
            #expect(try store.runs().first?.finishedAt == nil)
            signal.update { $0 = true }
            return try #require(try await group.next())
        }
        let run = try #require(try store.runs().first)
        #expect(run.id == result.runID && run.finishedAt != nil)
        let net = result.trades.reduce(Money.zero) { $0 + $1.netPnL }
        #expect(run.summaryJSON == "{\"trades\":\(result.trades.count),\"net_pnl\":\"\(net)\"}")
        #expect(!result.alerts.contains { $0.kind == "runtime.market_data_ended" })
        let stopping = try store.alerts(runID: nil).map(\.alert).filter { $0.kind == "alerts.lifecycle" }
        #expect(stopping.last?.message.contains("QuantumTrader stopping") == true)
        #expect(stopping.last?.message.contains("\(result.trades.count) trade(s)") == true)
    }
}
