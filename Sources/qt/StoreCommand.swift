import ArgumentParser
import Foundation
import TraderApp

/// `qt store migrate|copy`: administration of the configured trade store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Migrate the configured trade store, or copy a SQLite store into PostgreSQL.",
        subcommands: [StoreMigrateCommand.self, StoreCopyCommand.self]
    )
}

/// `--config FILE [--key-file FILE]`: the `[storage]` section and, for PostgreSQL, where
/// `QT_POSTGRES_URL` comes from.
struct StoreConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The TOML configuration whose [storage] section names the store.")
    var config: String

    @Option(name: .long, help: "Key file (outside the repository, mode 600) with QT_POSTGRES_URL; default: the environment.")
    var keyFile: String?

    func load() throws -> (StorageSettings, StoreSecrets) {
        let appConfig = try AppConfig.load(path: config)
        let secrets = try StoreSecrets.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
                                            repositoryRoot: LiveCommand.repositoryRoot())
        return (appConfig.storage, secrets)
    }
}

/// `qt store migrate --config FILE`.
struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the missing schema migrations to the configured store (PostgreSQL needs this once per new build).")

    @OptionGroup var options: StoreConfigOptions

    func run() throws {
        do {
            let (settings, secrets) = try options.load()
            for line in try StoreAdmin.migrate(settings, secrets: secrets) { print(line) }
        } catch {
            FileHandle.standardError.write(Data("qt store migrate: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// `qt store copy --from FILE --config FILE`.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite store into the configured PostgreSQL store as its [storage] bot (all or nothing).")

    @Option(name: .long, help: "The SQLite store to copy (e.g. qt.sqlite).")
    var from: String

    @OptionGroup var options: StoreConfigOptions

    func run() throws {
        do {
            let (settings, secrets) = try options.load()
            for line in try StoreAdmin.copy(sqlitePath: from, into: settings, secrets: secrets) { print(line) }
        } catch {
            FileHandle.standardError.write(Data("qt store copy: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
