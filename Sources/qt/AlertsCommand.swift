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
        let report = await AlertTest.run(configPath: config, keyFile: keyFile, environment: ProcessInfo.processInfo.environment,
                                         repositoryRoot: LiveCommand.repositoryRoot(), services: { .live(clock: $0) }, clock: SystemClock())
        for line in report.errors { printLiveError(line) }
        for line in report.lines { print(line) }
        if !report.succeeded { throw ExitCode.failure }
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
        // A reading command: the store is opened read-only (nothing created, migrated or written).
        let store: any TradeStore
        do { store = try self.store.openForReading() } catch {
            printLiveError("\(error)")
            throw ExitCode.failure
        }
        // Texts come from outside (Telegram senders, messages): printed with control characters escaped.
        func text(_ value: String) -> String { DisplayText.escaped(value, limit: 300) }
        // A store that cannot be read (a corrupt record) is an error, never an empty history.
        let notifications: [NotificationRecord], commands: [CommandRecord]
        do {
            (notifications, commands) = try self.store.using(store) { store in
                (try store.notifications(runID: nil, limit: limit), try store.commands(limit: limit))
            }
        } catch {
            printLiveError("\(error)")
            throw ExitCode.failure
        }
        print("messages (latest \(notifications.count)):")
        for row in notifications {
            print("  \(row.createdAt) \(text(row.channel)) \(row.category.rawValue) \(row.severity.rawValue) \(text(row.rule)): \(row.state.rawValue)"
                  + " after \(row.attempts) attempt(s) \(row.detail.isEmpty ? "" : "(\(text(row.detail)))")")
            print("      \(text(row.text.split(separator: "\n").first.map(String.init) ?? ""))")
        }
        print("commands (latest \(commands.count)):")
        for row in commands {
            print("  \(row.time) \(text(row.channel)) chat \(row.chatID) \(text(row.sender)) \(row.authorized ? "" : "[NOT AUTHORISED] ")"
                  + "\(text(row.text)) → \(text(row.outcome))")
        }
    }
}
