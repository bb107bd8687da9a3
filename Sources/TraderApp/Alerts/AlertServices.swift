import Alerts
import AsyncHTTPClient
import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel

/// The alert and command services of one trading session, built from `[alerts]` and the
/// secrets: the alert center (the runtime's `Alerting` port), one delivery queue per notifier
/// (each Telegram chat, the webhook), the dispatcher, the alert timer and, when Telegram
/// commands are on, the command poller. `qt live` and `qt paper --venue / --local-venue` run
/// them in one `ServiceGroup` beside the trading session (`Trader.runServices`); backtests build none
/// (their alerts are recorded in the store and nothing is sent).
public final class AlertServices: Sendable {
    public let settings: AlertSettings
    public let center: AlertCenter
    public let queues: [DeliveryQueue]
    public let dispatcher: AlertDispatcher
    public let timer: AlertTimer
    public let poller: TelegramCommandPoller?
    public let clock: any TradingClock
    let priceSource: PriceEvent.Source

    /// What the services need from the outside world; the app passes the real ones, tests fakes.
    public struct Environment: Sendable {
        public var transport: any AlertHTTPTransport
        public var clock: any TradingClock
        public var sleep: @Sendable (Duration) async throws -> Void
        public var makeCode: @Sendable () -> String
        public var logger: Logger

        public init(transport: any AlertHTTPTransport, clock: any TradingClock, sleep: @escaping @Sendable (Duration) async throws -> Void,
                    makeCode: @escaping @Sendable () -> String, logger: Logger) {
            self.transport = transport
            self.clock = clock
            self.sleep = sleep
            self.makeCode = makeCode
            self.logger = logger
        }

        /// AsyncHTTPClient's shared client, the system clock, `Task.sleep`, six-digit codes from the
        /// system's random source.
        public static func live(clock: any TradingClock, logger: Logger = Logger(label: "qt.alerts")) -> Environment {
            Environment(transport: AsyncHTTPClientAlertTransport(client: .shared), clock: clock, sleep: { try await Task.sleep(for: $0) },
                        makeCode: { String(format6: UInt32.random(in: 0..<1_000_000)) }, logger: logger)
        }
    }

    /// - Parameters:
    ///   - sessionLabel: how `/status` names the session (`live on testnet: ATOMUSDT`).
    ///   - console: also given every runtime alert at once (the terminal).
    ///   - priceSource: the price the exit owners use (`[exit] price_source`).
    public init(settings: AlertSettings, secrets: AlertSecrets, store: any TradeStore, sessionLabel: String, console: (any Alerting)?,
                priceSource: PriceEvent.Source, environment: Environment) {
        self.settings = settings
        self.clock = environment.clock
        self.priceSource = priceSource
        let center = AlertCenter(rules: AlertRules(settings: settings.rules), console: console)
        self.center = center
        let outcome: @Sendable (String, Bool, String, Timestamp) -> Void = { [weak center] channel, delivered, detail, time in
            center?.feed(delivered ? .deliveryRecovered(channel: channel, time: time) : .deliveryFailed(channel: channel, detail: detail, time: time))
        }
        var queues: [DeliveryQueue] = []
        var api: TelegramBotAPI?
        if settings.telegram.enabled, let token = secrets.botToken {
            let telegram = TelegramBotAPI(baseURL: settings.telegram.apiURL, token: token, transport: environment.transport)
            api = telegram
            for chat in settings.telegram.chatIDs {
                let channel = settings.telegram.chatIDs.count == 1 ? "telegram" : "telegram:\(chat)"
                queues.append(DeliveryQueue(notifier: TelegramNotifier(api: telegram, chatID: chat, channel: channel,
                                                                       timeout: settings.telegram.delivery.attemptTimeout),
                                            policy: settings.telegram.delivery, store: store, clock: environment.clock, sleep: environment.sleep,
                                            logger: environment.logger, onOutcome: outcome))
            }
        }
        if settings.webhook.enabled {
            queues.append(DeliveryQueue(notifier: WebhookNotifier(url: settings.webhook.url, secret: secrets.webhookSecret, transport: environment.transport,
                                                                  clock: environment.clock, timeout: settings.webhook.delivery.attemptTimeout),
                                        policy: settings.webhook.delivery, store: store, clock: environment.clock, sleep: environment.sleep,
                                        logger: environment.logger, onOutcome: outcome))
        }
        self.queues = queues
        let dispatcher = AlertDispatcher(center: center, queues: queues, store: store, logger: environment.logger)
        self.dispatcher = dispatcher
        timer = AlertTimer(center: center, clock: environment.clock, interval: settings.timerInterval, sleep: environment.sleep)
        if let api, settings.telegram.commands {
            let control = SessionControl(sessionLabel: sessionLabel, center: center, store: store, clock: environment.clock,
                                         runID: { dispatcher.runID.current })
            poller = TelegramCommandPoller(api: api, authorizedChats: Set(settings.telegram.chatIDs), control: control, center: center, store: store,
                                           runID: { dispatcher.runID.current }, clock: environment.clock, sleep: environment.sleep,
                                           makeCode: environment.makeCode, logger: environment.logger,
                                           pollTimeout: settings.telegram.pollTimeout, requestTimeout: settings.telegram.delivery.attemptTimeout,
                                           confirmWithin: settings.telegram.confirmWithin, notBefore: environment.clock.now,
                                           maxCommandAge: settings.telegram.maxCommandAge, backoff: settings.telegram.delivery)
        } else {
            poller = nil
        }
    }

    /// The runtime observer that feeds the rules (put it in the session's observer list).
    public var observer: AlertObserver { AlertObserver(center: center, dispatcher: dispatcher, priceSource: priceSource, clock: clock) }

    /// The alert services in the order a group starts them (and shuts them down in reverse):
    /// the queues, the dispatcher, the timer, the command poller.
    public var serviceConfigurations: [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = queues.map { .init(service: $0) }
        services.append(.init(service: dispatcher))
        services.append(.init(service: timer))
        if let poller { services.append(.init(service: poller)) }
        return services
    }

    /// Channels messages are sent through (`telegram`, `webhook`), for the start-up line.
    public var channels: [String] { queues.map(\.channel) }
}

extension String {
    /// Six decimal digits, zero-padded (confirmation codes).
    init(format6 value: UInt32) {
        let digits = String(value % 1_000_000)
        self = String(repeating: "0", count: 6 - digits.count) + digits
    }
}
