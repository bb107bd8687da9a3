import Foundation
import Alerts
import TradingConfig
import TradingEngine
import TradingModel

/// `[alerts]`, `[alerts.telegram]` and `[alerts.webhook]`: the rules (`AlertRuleSettings`) and
/// the notifiers. Secrets (the bot token, the webhook secret) are never read from the file:
/// they come from the environment or the key file (`AlertSecrets`).
public struct AlertSettings: Sendable, Hashable {
    public var rules: AlertRuleSettings
    public var telegram: TelegramSettings
    public var webhook: WebhookSettings
    /// How often the rules' own timer ticks.
    public var timerInterval: Duration

    public static let defaults = AlertSettings(rules: AlertRuleSettings(), telegram: TelegramSettings(), webhook: WebhookSettings(),
                                               timerInterval: .seconds(1))

    public init(rules: AlertRuleSettings, telegram: TelegramSettings, webhook: WebhookSettings, timerInterval: Duration) {
        self.rules = rules
        self.telegram = telegram
        self.webhook = webhook
        self.timerInterval = timerInterval
    }

    /// True when any notifier is switched on.
    public var hasNotifiers: Bool { telegram.enabled || webhook.enabled }
}

/// `[alerts.telegram]`.
public struct TelegramSettings: Sendable, Hashable {
    public var enabled = false
    /// Chats that receive the alerts and may send commands (private chat or group ids).
    public var chatIDs: [Int64] = []
    public var apiURL = "https://api.telegram.org"
    /// Commands from the chats by long polling (`getUpdates`).
    public var commands = true
    public var pollTimeout: Duration = .seconds(25)
    public var confirmWithin: Duration = .seconds(60)
    /// A command older than this when the bot receives it is recorded and not carried out.
    public var maxCommandAge: Duration = .seconds(60)
    public var delivery = DeliveryPolicy()
    public init() {}
}

/// `[alerts.webhook]`.
public struct WebhookSettings: Sendable, Hashable {
    public var enabled = false
    public var url = ""
    public var delivery = DeliveryPolicy()
    public init() {}
}

extension AlertSettings {
    public init(from section: ConfigSection) throws(ConfigError) {
        var rules = AlertRuleSettings()
        rules.positionLoss = try section.bool("position_loss", default: true)
        rules.positionLossThresholdPct = try section.rate("position_loss_threshold", default: Rate("0.005")!, range: Rate("0.0001")!...Rate("1")!).percent
        rules.positionLossMeasure = try section.choice("position_loss_measure", default: AlertRuleSettings.LossMeasure.priceMove)
        rules.stopNotTriggered = try section.bool("stop_not_triggered", default: true)
        rules.stopCloseGrace = try section.duration("stop_close_grace", default: .seconds(2), range: .zero...Duration.seconds(300))
        rules.allPositionsLosing = try section.bool("all_positions_losing", default: true)
        rules.allPositionsLosingMinimum = try section.int("all_positions_losing_minimum", default: 2, range: 1...1000)
        rules.dailyLoss = try section.bool("daily_loss", default: true)
        rules.dailyLossLimitPct = try section.rate("daily_loss_limit", default: Rate("0.02")!, range: Rate("0.0001")!...Rate("1")!).percent
        rules.missingBackstop = try section.bool("missing_backstop", default: true)
        rules.missingBackstopAfter = try section.duration("missing_backstop_after", default: .seconds(5), range: .zero...Duration.seconds(3600))
        rules.exitOwnerSilent = try section.bool("exit_owner_silent", default: true)
        rules.exitOwnerSilentAfter = try section.duration("exit_owner_silent_after", default: .seconds(10), range: .seconds(1)...Duration.seconds(3600))
        rules.marketDataSilent = try section.bool("market_data_silent", default: true)
        rules.marketDataSilentAfter = try section.duration("market_data_silent_after", default: .seconds(30), range: .seconds(1)...Duration.seconds(86_400))
        rules.userDataSilent = try section.bool("user_data_silent", default: true)
        rules.userDataSilentAfter = try section.duration("user_data_silent_after", default: .seconds(60), range: .seconds(1)...Duration.seconds(86_400))
        rules.orderRejections = try section.bool("order_rejections", default: true)
        rules.orderRejectionsCount = try section.int("order_rejections_count", default: 3, range: 1...1000)
        rules.orderRejectionsWindow = try section.duration("order_rejections_window", default: .seconds(600), range: .seconds(1)...Duration.seconds(86_400))
        rules.reconciliationRepairs = try section.bool("reconciliation_repairs", default: true)
        rules.manualHalt = try section.bool("manual_halt", default: true)
        rules.lifecycle = try section.bool("lifecycle", default: true)
        let heartbeat = try section.duration("heartbeat_interval", default: .zero, range: .zero...Duration.seconds(7 * 86_400))
        rules.heartbeatInterval = heartbeat > .zero ? heartbeat : nil
        let runtime = try section.choice("runtime_alerts", allowed: ["off", "info", "warning", "critical"], default: "warning")
        rules.runtimeAlertsMinimum = runtime == "off" ? nil : AlertSeverity(rawValue: runtime.uppercased())
        rules.repeatWindow = try section.duration("repeat_window", default: .seconds(600), range: .zero...Duration.seconds(86_400))
        rules.messagesPerMinute = try section.int("messages_per_minute", default: 20, range: 1...600)
        rules.burst = try section.int("burst", default: 5, range: 1...100)
        let timer = try section.duration("timer_interval", default: .seconds(1), range: .milliseconds(100)...Duration.seconds(60))

        let telegramSection = section.section("telegram")
        let webhookSection = section.section("webhook")
        try Self.refuseSecrets(in: telegramSection, ["token", "bot_token", "api_token"], use: AlertSecrets.tokenName)
        try Self.refuseSecrets(in: webhookSection, ["secret", "hmac_secret", "signing_secret"], use: AlertSecrets.webhookSecretName)
        var telegram = TelegramSettings()
        telegram.enabled = try telegramSection.bool("enabled", default: false)
        let chats = try telegramSection.stringArray("chat_ids", default: [])
        for chat in chats {
            guard let id = Int64(chat.trimmingCharacters(in: .whitespaces)), id != 0 else {
                throw telegramSection.invalid("chat_ids", "entry \"\(chat)\" is not a Telegram chat id (digits, negative for groups, e.g. \"123456789\")")
            }
            telegram.chatIDs.append(id)
        }
        telegram.apiURL = try telegramSection.string("api_url", default: "https://api.telegram.org")
        if !(telegram.apiURL.hasPrefix("https://") || telegram.apiURL.hasPrefix("http://")) {
            throw telegramSection.invalid("api_url", "must start with https:// or http://")
        }
        telegram.commands = try telegramSection.bool("commands", default: true)
        // At least 1 s: a zero timeout is short polling, one request after another while nobody writes.
        telegram.pollTimeout = try telegramSection.duration("poll_timeout", default: .seconds(25), range: .seconds(1)...Duration.seconds(50))
        telegram.confirmWithin = try telegramSection.duration("confirm_within", default: .seconds(60), range: .seconds(5)...Duration.seconds(3600))
        telegram.maxCommandAge = try telegramSection.duration("max_command_age", default: .seconds(60), range: .seconds(5)...Duration.seconds(3600))
        telegram.delivery = try Self.delivery(telegramSection)
        if telegram.enabled && telegram.chatIDs.isEmpty {
            throw Self.located(telegramSection.invalid("chat_ids", "must name at least one chat when [alerts.telegram] enabled = true"),
                               at: telegramSection, "enabled")
        }

        var webhook = WebhookSettings()
        webhook.enabled = try webhookSection.bool("enabled", default: false)
        webhook.url = try webhookSection.string("url", default: "")
        webhook.delivery = try Self.delivery(webhookSection)
        if webhook.enabled && !(webhook.url.hasPrefix("https://") || webhook.url.hasPrefix("http://")) {
            throw Self.located(webhookSection.invalid("url", "must be an https:// or http:// URL when [alerts.webhook] enabled = true"),
                               at: webhookSection, "enabled")
        }
        self.init(rules: rules, telegram: telegram, webhook: webhook, timerInterval: timer)
    }

    /// `error` at the line of `key` when its own key is not written (a check across keys).
    static func located(_ error: ConfigError, at section: ConfigSection, _ key: String) -> ConfigError {
        var error = error
        if error.line == nil { error.line = section.line(of: key) }
        return error
    }

    /// A secret written in the configuration file is refused (naming the key, never the value):
    /// secrets come from the environment or the key file only.
    static func refuseSecrets(in section: ConfigSection, _ keys: [String], use variable: String) throws(ConfigError) {
        for key in keys where section.contains(key) {
            throw section.invalid(key, "is a secret and is never read from the configuration file; set \(variable) in the environment "
                                  + "or the key file (--key-file) and remove it from this file")
        }
    }

    static func delivery(_ section: ConfigSection) throws(ConfigError) -> DeliveryPolicy {
        DeliveryPolicy(
            maxAttempts: try section.int("max_attempts", default: 5, range: 1...100),
            initialBackoff: try section.duration("initial_backoff", default: .seconds(1), range: .milliseconds(10)...Duration.seconds(600)),
            maxBackoff: try section.duration("max_backoff", default: .seconds(30), range: .milliseconds(10)...Duration.seconds(3600)),
            attemptTimeout: try section.duration("request_timeout", default: .seconds(10), range: .seconds(1)...Duration.seconds(120)),
            queueCapacity: try section.int("queue_capacity", default: 200, range: 1...100_000),
            drainTimeout: try section.duration("drain_timeout", default: .seconds(5), range: .zero...Duration.seconds(120)))
    }
}
