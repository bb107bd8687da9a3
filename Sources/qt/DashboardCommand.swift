import ArgumentParser
import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import TraderApp
import TradingEngine
import TradingModel
import TradingConfig
import UnixSignals

/// `qt dashboard --db FILE [--config FILE]`: the operator's console on a store, without a session
/// in this process: it shows what the store holds and its buttons reach the session running on
/// that store (close requests, manual halt/resume). `qt dashboard set-password` sets the login.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the web console on a store (127.0.0.1:8088 by default); set its password or API token.",
        subcommands: [DashboardServeCommand.self, DashboardSetPasswordCommand.self],
        defaultSubcommand: DashboardServeCommand.self
    )
}

/// `qt dashboard [serve] --db FILE`.
struct DashboardServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the console on a store; its actions reach the qt live / qt paper session running on that store."
    )

    @Option(name: .long, help: "The SQLite store (the running session's [storage] path).")
    var db: String

    @Option(name: .long, help: "A configuration whose [dashboard] (address, port, TLS, credentials file) and [strategy] (the model shown) apply.")
    var config: String?

    @Option(name: .long, help: "Listen on this port instead of [dashboard] port (0: any free port, printed).")
    var port: Int?

    func run() async throws {
        var settings = DashboardSettings.defaults
        var strategy: StrategySettings?
        if let config {
            do {
                let appConfig = try AppConfig.load(path: config)
                settings = appConfig.dashboard
                strategy = appConfig.strategy
                AppLogging.apply(appConfig.logging)
            } catch {
                for line in error.errors { printLiveError(line.description) }
                throw ExitCode.failure
            }
        }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
            settings.port = port
        }
        let store: any TradeStore
        do { store = try TradeStoreFactory.openExisting(sqlitePath: db) } catch {
            printLiveError("\(error)")
            throw ExitCode.failure
        }
        let logger = Logger(label: "qt.dashboard")
        do {
            let dashboard = try DashboardServices(settings: settings, store: store, label: "store \(db) (no session in this process)",
                                                  strategy: strategy, clock: SystemClock(), inSession: false, priceSource: .markPrice, logger: logger)
            if let warning = dashboard.warning { printLiveError(warning) }
            let service = try dashboard.service { port in
                DashboardLaunch.say("dashboard: \(dashboard.url(port: port)) on \(db) (store only; actions reach the session running on it); Ctrl-C to stop")
            }
            var quiet = logger
            quiet.logLevel = .warning
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [.init(service: service)],
                                                                              gracefulShutdownSignals: [.sigint, .sigterm], logger: quiet))
            try await group.run()
        } catch let error as DashboardError {
            printLiveError(error.message)
            throw ExitCode.failure
        }
    }
}

/// `qt dashboard set-password [--token]`: writes the bcrypt hash of a new password (read from the
/// terminal without echo, or the first line of standard input), or of a new random API token
/// printed once, into the credentials file (mode 600). The secret itself is stored nowhere.
struct DashboardSetPasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password",
        abstract: "Set the console's login password (from the terminal or stdin), or with --token create a new API bearer token."
    )

    @Option(name: .long, help: "A configuration whose [dashboard] credentials_file to write.")
    var config: String?

    @Option(name: .long, help: "The credentials file to write (default: [dashboard] credentials_file, ~/.config/quantumtrader/dashboard.credentials).")
    var file: String?

    @Flag(name: .long, help: "Create a new random API token (printed once) instead of setting the password.")
    var token = false

    @Option(name: .long, help: "bcrypt cost (4…16; default 12).")
    var cost: Int = Int(DashboardCredentials.defaultCost)

    func validate() throws {
        if config != nil && file != nil { throw ValidationError("give --config or --file, not both") }
        if !(4...16).contains(cost) { throw ValidationError("--cost must be 4…16") }
    }

    func run() throws {
        var path = DashboardSettings.defaults.credentialsFile
        if let config {
            do { path = try AppConfig.load(path: config).dashboard.credentialsFile } catch {
                for line in error.errors { printLiveError(line.description) }
                throw ExitCode.failure
            }
        }
        path = DashboardServices.expand(file ?? path)
        do {
            try write(path: path)
        } catch {
            printLiveError(error.message)
            throw ExitCode.failure
        }
    }

    func write(path: String) throws(DashboardError) {
        var credentials = DashboardCredentials()
        if FileManager.default.fileExists(atPath: path) { credentials = try DashboardCredentials.parse(Self.read(path), path: path) }
        if token {
            let secret = DashboardServer.randomToken()
            credentials.tokenHash = try DashboardCredentials.hash(secret, cost: UInt8(cost))
            try credentials.save(path: path)
            print("API token (shown once; keep it secret): \(secret)")
            print("use it as: curl -H 'Authorization: Bearer <token>' http://127.0.0.1:8088/api/v1/positions")
        } else {
            let password = try Self.readPassword()
            credentials.passwordHash = try DashboardCredentials.hash(password, cost: UInt8(cost))
            try credentials.save(path: path)
            print("password set for user \(credentials.user)")
        }
        print("credentials: \(path) (bcrypt hashes only, mode 600)")
    }

    static func read(_ path: String) throws(DashboardError) -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch { throw DashboardError("cannot read \(path): \(error.localizedDescription)") }
    }

    /// Twice from a terminal without echo; otherwise the first line of standard input.
    static func readPassword() throws(DashboardError) -> String {
        if isatty(STDIN_FILENO) != 0 {
            guard let first = getpass("New dashboard password: ").map({ String(cString: $0) }),
                  let second = getpass("Again: ").map({ String(cString: $0) }) else { throw DashboardError("no password given") }
            guard first == second else { throw DashboardError("the two passwords differ; nothing written") }
            return first
        }
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw DashboardError("give the password on standard input (echo … | qt dashboard set-password) or run it in a terminal")
        }
        return line
    }
}
