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

    /// Opens the store to change it; a missing SQLite file is an error (a typo must not create an
    /// empty store), a file that is not a qt store is refused untouched, and so is a PostgreSQL
    /// database not at this build's schema.
    func open() throws -> any TradeStore {
        if let db { return try TradeStoreFactory.openExisting(sqlitePath: db) }
        let (settings, secrets) = try configured()
        return try TradeStoreFactory.openExisting(settings, secrets: secrets)
    }

    /// Opens the store read-only (reading commands): nothing is created, migrated or written.
    func openForReading() throws -> any TradeStore {
        if let db { return try TradeStoreFactory.openReadOnly(sqlitePath: db) }
        let (settings, secrets) = try configured()
        return try TradeStoreFactory.openReadOnly(settings, secrets: secrets)
    }

    /// Runs `body` on the store; a store error (a corrupt record, a failed query) becomes one
    /// line naming the store: `--db FILE: corrupt record: …`.
    func using<Result>(_ store: any TradeStore, _ body: (any TradeStore) throws -> Result) throws -> Result {
        do { return try body(store) } catch let error as TradeStoreError {
            if let db { throw TradeStoreFactory.dbError(db, error) }
            throw BacktestRunError("\(label): \(error)")
        }
    }

    private func configured() throws -> (StorageSettings, StoreSecrets) {
        let appConfig = try AppConfig.load(path: config ?? "")
        let secrets = try StoreSecrets.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                            repositoryRoot: LiveCommand.repositoryRoot())
        return (appConfig.storage, secrets)
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
        let outcome = try store.using(try store.openForReading()) { try RiskControl.status(store: $0) }
        for line in outcome.lines { print(line) }
        if let problem = outcome.problem {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// `qt risk halt --db FILE --reason TEXT`.
struct RiskHaltCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "halt", abstract: "Halt new entries (open positions keep their exits).")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Why (stored with the event).")
    var reason: String

    func run() throws {
        let outcome = try store.using(try store.open()) {
            try RiskControl.halt(reason: reason, who: CommandLineIdentity.person, time: CommandLineIdentity.now, store: $0)
        }
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
        let outcome = try store.using(try store.open()) {
            try RiskControl.resume(reason: reason, who: CommandLineIdentity.person, time: CommandLineIdentity.now, store: $0)
        }
        for line in outcome.lines { print(line) }
    }
}

/// Who runs a command and when: the CLI is the one place that reads the wall clock for these.
enum CommandLineIdentity {
    static var person: String { ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "cli" }
    static var now: Timestamp { Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
}
