import Alerts
import TradingEngine
import TradingModel
import TradingConfig

/// `qt alerts test`: one test message through each configured notifier, recorded in the store.
public enum AlertTest {
    public struct Outcome: Sendable {
        public var channel: String
        public var delivered: Bool
        public var detail: String
    }

    /// What `qt alerts test` prints and whether it succeeded (exit 0).
    public struct Report: Sendable {
        /// One line per notifier (`telegram: sent — message 5 to chat 1001`), then where it was recorded.
        public var lines: [String] = []
        /// Why the command failed before sending (a configuration or secret problem), one line each.
        public var errors: [String] = []
        public var outcomes: [Outcome] = []
        /// True when every configured notifier delivered its test message.
        public var succeeded: Bool { errors.isEmpty && !outcomes.isEmpty && outcomes.allSatisfy(\.delivered) }
    }

    /// The whole command: reads `configPath`, the secrets (`keyFile` or `environment`), opens the
    /// store, sends through each notifier (with its retries) and reports each result. Refuses when
    /// no notifier is enabled, a secret is missing or the configuration is wrong (each reason named).
    public static func run(configPath: String, keyFile: String?, environment: [String: String], repositoryRoot: String?,
                           services: @Sendable (any TradingClock) -> AlertServices.Environment, clock: any TradingClock) async -> Report {
        var report = Report()
        let config: AppConfig
        do { config = try AppConfig.load(path: configPath) } catch {
            report.errors = error.errors.map(\.description)
            return report
        }
        guard config.alerts.hasNotifiers else {
            report.errors = ["no notifier is enabled: set [alerts.telegram] enabled = true (with chat_ids) or [alerts.webhook] enabled = true "
                             + "(with url) in \(configPath)"]
            return report
        }
        let secrets: AlertSecrets
        do {
            secrets = try AlertSecrets.load(settings: config.alerts, environment: environment, keyFile: keyFile, repositoryRoot: repositoryRoot)
        } catch {
            report.errors = [error.message]
            return report
        }
        let store: any TradeStore
        do {
            let storeSecrets = try StoreSecrets.load(environment: environment, keyFile: keyFile, repositoryRoot: repositoryRoot)
            store = try TradeStoreFactory.make(config.storage, secrets: storeSecrets)
        } catch {
            report.errors = ["cannot open the \(config.storage.backend.rawValue) store: \(error)"]
            return report
        }
        report.outcomes = await send(settings: config.alerts, secrets: secrets, store: store, environment: services(clock))
        report.lines = report.outcomes.map { "\($0.channel): \($0.delivered ? "sent" : "FAILED") — \($0.detail)" }
        report.lines.append("store:  recorded in \(config.storage.path) (qt alerts history --db \(config.storage.path))")
        return report
    }

    public static func send(settings: AlertSettings, secrets: AlertSecrets, store: any TradeStore,
                            environment: AlertServices.Environment) async -> [Outcome] {
        let services = AlertServices(settings: settings, secrets: secrets, store: store, sessionLabel: "qt alerts test", console: nil,
                                     priceSource: .markPrice, environment: environment)
        let now = environment.clock.now
        let message = AlertMessage(category: .test, rule: "test", severity: .info, symbol: nil, title: "QuantumTrader test message",
                                   lines: [AlertMessage.Line(nil, "If you read this, alerts reach you here."),
                                           AlertMessage.Line("Sent", now.iso8601)], time: now)
        var outcomes: [Outcome] = []
        for queue in services.queues {
            let id = try? store.recordNotification(NotificationRecord(runID: nil, channel: queue.channel, category: .test, rule: "test",
                                                                      severity: .info, symbol: nil, text: message.plainText, createdAt: now))
            let result = await queue.deliverNow(DeliveryQueue.Item(message: message, recordID: id))
            outcomes.append(Outcome(channel: queue.channel, delivered: result.delivered, detail: result.detail))
        }
        return outcomes
    }
}
