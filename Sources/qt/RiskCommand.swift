import ArgumentParser
import Foundation
import TraderApp
import TradingEngine
import TradingModel

/// `--db FILE` (a SQLite store) or `--config FILE [--key-file FILE]` (the store its `[storage]`
/// names, SQLite or PostgreSQL): the store a command reads or writes (`qt risk`, `qt status`,
/// `qt close`).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store ([storage] path of the runs to control, e.g. qt.sqlite).")
    var db: String?

    @Option(name: .long, help: "Or: the configuration whose [storage] names the store (needed for PostgreSQL).")
    var config: String?

    @Option(name: .long, help: "With --config: key file (outside the repository, mode 600) with QT_POSTGRES_URL.")
    var keyFile: String?

    func validate() throws {
        if (db == nil) == (config == nil) { throw ValidationError("name the store with --db FILE or --config FILE (one of them)") }
        if keyFile != nil && config == nil { throw ValidationError("--key-file goes with --config") }
    }

    /// The store, as the user named it (for messages).
    var label: String { db ?? "the [storage] of \(config ?? "")" }

    /// Opens the store; a missing SQLite file is an error (a typo must not create an empty
    /// store), and so is a PostgreSQL database not at this build's schema.
    func open() throws -> any TradeStore {
        if let db { return try TradeStoreFactory.openExisting(sqlitePath: db) }
        let appConfig = try AppConfig.load(path: config ?? "")
        let secrets = try StoreSecrets.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                            repositoryRoot: LiveCommand.repositoryRoot())
        return try TradeStoreFactory.openExisting(appConfig.storage, secrets: secrets)
    }
}

/// `qt risk status|halt|resume --db FILE [--reason TEXT]`: the account's manual risk state in
/// the store. A halt blocks every new entry of the next run that uses the store.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Show, halt or resume the risk state kept in the store (halted: no new entries).",
        subcommands: [RiskStatusCommand.self, RiskHaltCommand.self, RiskResumeCommand.self]
    )
}

/// `qt risk status --db FILE`.
struct RiskStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the risk state and the latest risk events.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        for line in try RiskControl.status(store: try store.open()).lines { print(line) }
    }
}

/// `qt risk halt --db FILE --reason TEXT`.
struct RiskHaltCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "halt", abstract: "Halt new entries (open positions keep their exits).")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Why (stored with the event).")
    var reason: String

    func run() throws {
        let outcome = try RiskControl.halt(reason: reason, who: CommandLineIdentity.person, time: CommandLineIdentity.now, store: try store.open())
        for line in outcome.lines { print(line) }
    }
}

/// `qt risk resume --db FILE --reason TEXT`.
struct RiskResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume new entries after a manual halt.")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Why (stored with the event).")
    var reason: String

    func run() throws {
        let outcome = try RiskControl.resume(reason: reason, who: CommandLineIdentity.person, time: CommandLineIdentity.now, store: try store.open())
        for line in outcome.lines { print(line) }
    }
}

/// Who runs a command and when: the CLI is the one place that reads the wall clock for these.
enum CommandLineIdentity {
    static var person: String { ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "cli" }
    static var now: Timestamp { Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
}
