import Alerts
import ArgumentParser
import Foundation
import TraderApp
import TradingEngine
import TradingModel

/// `qt alerts test|history`: checks the configured notifiers and reads the alert history.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Alert notifiers: send a test message, read the alert history.",
        subcommands: [AlertsTestCommand.self, AlertsHistoryCommand.self]
    )
}

/// `qt alerts test --config FILE [--key-file FILE]`: one test message through each configured
/// notifier (each Telegram chat, the webhook), with the notifier's retries; prints what each
/// answered and records it in the store. Exits non-zero when one failed or none is configured.
struct AlertsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Send a test message through each configured notifier.")

    @Option(name: .long, help: "The TOML configuration ([alerts.telegram], [alerts.webhook], [storage]).")
    var config: String

    @Option(name: .long, help: "File with QT_TELEGRAM_BOT_TOKEN=… (and QT_WEBHOOK_SECRET=…), outside the repository, mode 600. Default: the environment.")
    var keyFile: String?

    func run() async throws {
        let appConfig: AppConfig
        do { appConfig = try AppConfig.load(path: config) } catch {
            for line in error.errors { printLiveError(line.description) }
            throw ExitCode.failure
        }
        AppLogging.apply(appConfig.logging)
        guard appConfig.alerts.hasNotifiers else {
            printLiveError("no notifier is enabled: set [alerts.telegram] enabled = true (with chat_ids) or [alerts.webhook] enabled = true (with url) in \(config)")
            throw ExitCode.failure
        }
        do {
            let secrets = try AlertSecrets.load(settings: appConfig.alerts, environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                                repositoryRoot: LiveCommand.repositoryRoot())
            let storeSecrets = try StoreSecrets.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                                     repositoryRoot: LiveCommand.repositoryRoot())
            let store = try TradeStoreFactory.make(appConfig.storage, secrets: storeSecrets)
            let clock = SystemClock()
            let outcomes = await AlertTest.send(settings: appConfig.alerts, secrets: secrets, store: store,
                                                environment: .live(clock: clock))
            for outcome in outcomes { print("\(outcome.channel): \(outcome.delivered ? "sent" : "FAILED") — \(outcome.detail)") }
            print("store:  recorded in \(appConfig.storage.path) (qt alerts history --db \(appConfig.storage.path))")
            if outcomes.contains(where: { !$0.delivered }) { throw ExitCode.failure }
        } catch let error as LiveCredentialsError {
            printLiveError(error.message)
            throw ExitCode.failure
        }
    }
}

/// `qt alerts history --db FILE|--config FILE [--limit N]`: the latest messages with their delivery result and
/// the latest phone commands with who sent them and what they did.
struct AlertsHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Messages sent (with delivery results) and commands received.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "How many of each to show.")
    var limit: Int = 20

    func run() async throws {
        let store: any TradeStore
        let notifications: [NotificationRecord]
        let commands: [CommandRecord]
        do {
            store = try self.store.open()
            notifications = try store.notifications(runID: nil, limit: limit)
            commands = try store.commands(limit: limit)
        } catch {
            printLiveError("cannot read the alert history of \(self.store.label): \(error)")
            throw ExitCode.failure
        }
        print("messages (latest \(notifications.count)):")
        for row in notifications {
            print("  \(row.createdAt) \(row.channel) \(row.category.rawValue) \(row.severity.rawValue) \(row.rule): \(row.state.rawValue)"
                  + " after \(row.attempts) attempt(s) \(row.detail.isEmpty ? "" : "(\(row.detail))")")
            print("      \(row.text.split(separator: "\n").first.map(String.init) ?? "")")
        }
        print("commands (latest \(commands.count)):")
        for row in commands {
            print("  \(row.time) \(row.channel) chat \(row.chatID) \(row.sender) \(row.authorized ? "" : "[NOT AUTHORISED] ")\(row.text) → \(row.outcome)")
        }
    }
}
