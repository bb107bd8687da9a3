import Alerts
import Foundation
import Testing
import TradingConfig
@testable import TraderApp
import TradingEngine
import TradingModel

/// `[alerts]`, `[alerts.telegram]`, `[alerts.webhook]`: every key read, and every mistake a clear
/// error naming the key (and its line), never a silent default.
@Suite struct AlertConfigTests {
    static func parse(_ text: String) throws -> AppConfig {
        try AppConfig(from: ConfigDocument.parse(text: "[execution]\npolicy = \"exit-engine\"\n\n" + text, file: "alerts.toml"))
    }

    static func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try parse(text)
        } catch let list as ConfigErrorList {
            return list.errors
        } catch {
            Issue.record("unexpected \(error)")
        }
        return []
    }

    @Test("config/default.toml holds every [alerts] key with the in-code defaults")
    func defaultFileMatchesDefaults() throws {
        let loaded = try AppConfig.load(path: AppConfigTests.defaultFile)
        #expect(loaded.alerts == AlertSettings.defaults)
        #expect(try Self.parse("").alerts == AlertSettings.defaults)
    }

    @Test("every key is read: a file setting each one to a non-default value")
    func everyKey() throws {
        let alerts = try Self.parse("""
            [alerts]
            position_loss = false
            position_loss_threshold = 0.01
            position_loss_measure = "roe"
            stop_not_triggered = false
            stop_close_grace = "3s"
            all_positions_losing = false
            all_positions_losing_minimum = 3
            daily_loss = false
            daily_loss_limit = 0.03
            missing_backstop = false
            missing_backstop_after = "7s"
            exit_owner_silent = false
            exit_owner_silent_after = "11s"
            market_data_silent = false
            market_data_silent_after = "31s"
            user_data_silent = false
            user_data_silent_after = "61s"
            order_rejections = false
            order_rejections_count = 4
            order_rejections_window = "5m"
            reconciliation_repairs = false
            manual_halt = false
            lifecycle = false
            heartbeat_interval = "1h"
            runtime_alerts = "critical"
            repeat_window = "2m"
            messages_per_minute = 30
            burst = 6
            timer_interval = "2s"

            [alerts.telegram]
            enabled = true
            chat_ids = ["123456789", "-1001234567890"]
            api_url = "http://127.0.0.1:8081"
            commands = false
            poll_timeout = "30s"
            confirm_within = "90s"
            max_command_age = "2m"
            max_attempts = 7
            initial_backoff = "500ms"
            max_backoff = "20s"
            request_timeout = "15s"
            queue_capacity = 50
            drain_timeout = "8s"

            [alerts.webhook]
            enabled = true
            url = "https://hooks.example.org/qt"
            max_attempts = 2
            initial_backoff = "2s"
            max_backoff = "40s"
            request_timeout = "5s"
            queue_capacity = 10
            drain_timeout = "3s"
            """).alerts
        let rules = alerts.rules
        #expect(!rules.positionLoss && rules.positionLossThresholdPct == 1 && rules.positionLossMeasure == .roe)
        #expect(!rules.stopNotTriggered && rules.stopCloseGrace == .seconds(3))
        #expect(!rules.allPositionsLosing && rules.allPositionsLosingMinimum == 3)
        #expect(!rules.dailyLoss && rules.dailyLossLimitPct == 3)
        #expect(!rules.missingBackstop && rules.missingBackstopAfter == .seconds(7))
        #expect(!rules.exitOwnerSilent && rules.exitOwnerSilentAfter == .seconds(11))
        #expect(!rules.marketDataSilent && rules.marketDataSilentAfter == .seconds(31))
        #expect(!rules.userDataSilent && rules.userDataSilentAfter == .seconds(61))
        #expect(!rules.orderRejections && rules.orderRejectionsCount == 4 && rules.orderRejectionsWindow == .seconds(300))
        #expect(!rules.reconciliationRepairs && !rules.manualHalt && !rules.lifecycle)
        #expect(rules.heartbeatInterval == .seconds(3600) && rules.runtimeAlertsMinimum == .critical)
        #expect(rules.repeatWindow == .seconds(120) && rules.messagesPerMinute == 30 && rules.burst == 6)
        #expect(alerts.timerInterval == .seconds(2))
        let telegram = alerts.telegram
        #expect(telegram.enabled && telegram.chatIDs == [123_456_789, -1_001_234_567_890] && telegram.apiURL == "http://127.0.0.1:8081")
        #expect(!telegram.commands && telegram.pollTimeout == .seconds(30) && telegram.confirmWithin == .seconds(90))
        #expect(telegram.maxCommandAge == .seconds(120))
        #expect(telegram.delivery == DeliveryPolicy(maxAttempts: 7, initialBackoff: .milliseconds(500), maxBackoff: .seconds(20),
                                                    attemptTimeout: .seconds(15), queueCapacity: 50, drainTimeout: .seconds(8)))
        #expect(alerts.webhook.enabled && alerts.webhook.url == "https://hooks.example.org/qt")
        #expect(alerts.webhook.delivery == DeliveryPolicy(maxAttempts: 2, initialBackoff: .seconds(2), maxBackoff: .seconds(40),
                                                          attemptTimeout: .seconds(5), queueCapacity: 10, drainTimeout: .seconds(3)))
    }

    /// A mistake, the key the error names, its kind and a fragment of its message.
    struct Mistake: Sendable, CustomStringConvertible {
        var text: String
        var key: String
        var kind: ConfigError.Kind
        var message: String
        var description: String { text.replacingOccurrences(of: "\n", with: " ") }
    }

    static let mistakes: [Mistake] = [
        // Wrong types.
        Mistake(text: "[alerts]\nposition_loss = \"yes\"", key: "alerts.position_loss", kind: .wrongType, message: "must be"),
        Mistake(text: "[alerts]\nburst = \"5\"", key: "alerts.burst", kind: .wrongType, message: "must be"),
        Mistake(text: "[alerts]\nrepeat_window = 600", key: "alerts.repeat_window", kind: .wrongType, message: "must be"),
        Mistake(text: "[alerts.telegram]\nchat_ids = \"123\"", key: "alerts.telegram.chat_ids", kind: .wrongType, message: "must be"),
        Mistake(text: "[alerts.telegram]\nenabled = 1", key: "alerts.telegram.enabled", kind: .wrongType, message: "must be"),
        Mistake(text: "[alerts.webhook]\nmax_attempts = 2.5", key: "alerts.webhook.max_attempts", kind: .wrongType, message: "must be"),
        // Unknown keys (typos), with the nearest key suggested.
        Mistake(text: "[alerts]\nposition_los = true", key: "alerts.position_los", kind: .unknownKey, message: "did you mean 'alerts.position_loss'"),
        Mistake(text: "[alerts.telegram]\nchat_id = [\"1\"]", key: "alerts.telegram.chat_id", kind: .unknownKey,
                message: "did you mean 'alerts.telegram.chat_ids'"),
        Mistake(text: "[alerts.webhook]\nurls = \"https://x\"", key: "alerts.webhook.urls", kind: .unknownKey, message: "unknown key"),
        // Out of range.
        Mistake(text: "[alerts]\nposition_loss_threshold = 2", key: "alerts.position_loss_threshold", kind: .outOfRange, message: "out of range"),
        Mistake(text: "[alerts]\ntimer_interval = \"10ms\"", key: "alerts.timer_interval", kind: .outOfRange, message: "out of range"),
        Mistake(text: "[alerts]\nmessages_per_minute = 0", key: "alerts.messages_per_minute", kind: .outOfRange, message: "out of range"),
        Mistake(text: "[alerts.telegram]\npoll_timeout = \"0s\"", key: "alerts.telegram.poll_timeout", kind: .outOfRange, message: "out of range"),
        Mistake(text: "[alerts.telegram]\nmax_command_age = \"1s\"", key: "alerts.telegram.max_command_age", kind: .outOfRange, message: "out of range"),
        Mistake(text: "[alerts.telegram]\nqueue_capacity = 0", key: "alerts.telegram.queue_capacity", kind: .outOfRange, message: "out of range"),
        Mistake(text: "[alerts.webhook]\ndrain_timeout = \"10m\"", key: "alerts.webhook.drain_timeout", kind: .outOfRange, message: "out of range"),
        // Invalid values.
        Mistake(text: "[alerts]\nruntime_alerts = \"loud\"", key: "alerts.runtime_alerts", kind: .invalidValue, message: "loud"),
        Mistake(text: "[alerts]\nposition_loss_measure = \"pnl\"", key: "alerts.position_loss_measure", kind: .invalidValue, message: "pnl"),
        Mistake(text: "[alerts.telegram]\nchat_ids = [\"@trader\"]", key: "alerts.telegram.chat_ids", kind: .invalidValue,
                message: "entry \"@trader\" is not a Telegram chat id"),
        Mistake(text: "[alerts.telegram]\nenabled = true", key: "alerts.telegram.chat_ids", kind: .invalidValue, message: "must name at least one chat"),
        Mistake(text: "[alerts.telegram]\napi_url = \"ftp://x\"", key: "alerts.telegram.api_url", kind: .invalidValue, message: "https://"),
        Mistake(text: "[alerts.webhook]\nenabled = true", key: "alerts.webhook.url", kind: .invalidValue, message: "must be an https:// or http:// URL"),
    ]

    @Test("wrong types, unknown keys, out-of-range and invalid values: one clear error naming the key and its line", arguments: mistakes)
    func mistakesNameTheKey(_ mistake: Mistake) {
        let errors = Self.errors(mistake.text)
        #expect(errors.count == 1)
        let error = errors.first
        #expect(error?.key == mistake.key)
        #expect(error?.kind == mistake.kind)
        #expect(error?.line != nil)
        #expect(error?.description.contains(mistake.message) == true, "\(error?.description ?? "no error")")
    }

    @Test("a secret written in the file is refused, naming the key and where it belongs, never echoing the value",
          arguments: [("telegram", "bot_token", "QT_TELEGRAM_BOT_TOKEN"), ("telegram", "token", "QT_TELEGRAM_BOT_TOKEN"),
                      ("webhook", "secret", "QT_WEBHOOK_SECRET")])
    func secretsInTheFileAreRefused(_ table: String, _ key: String, _ variable: String) {
        let value = "123456:SECRET-value-abcdefghijklmnopqrstuvw"
        let errors = Self.errors("[alerts.\(table)]\n\(key) = \"\(value)\"")
        #expect(errors.count == 1)
        #expect(errors.first?.key == "alerts.\(table).\(key)")
        #expect(errors.first?.description.contains(variable) == true)
        #expect(errors.first?.description.contains("never read from the configuration file") == true)
        #expect(!errors.map(\.description).joined().contains(value))
    }
}
