import Dispatch
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The PostgreSQL store's connection: opened on first use, replaced after it is lost, and every
/// wait for the server bounded by `PostgresStoreSettings.answerTimeout` (a server or network
/// that stops answering fails the call instead of hanging the bot).
///
/// Each new connection names its bot (`qt.bot_id`, which row-level security checks), its
/// schema, a server-side `statement_timeout` equal to the answer timeout, and its durability
/// (`synchronous_commit`).
///
/// `@unchecked Sendable`: `connection` is mutable, and the owning `PostgresTradeStore` calls
/// this only while holding its lock.
final class PostgresSession: @unchecked Sendable {
    let settings: PostgresStoreSettings
    private let configuration: PostgresConnection.Configuration
    private var connection: PostgresConnection?
    private var connectionCount = 0
    private let logger = Logger(label: "qt.postgres-store", factory: { _ in SwiftLogNoOpLogHandler() })

    private let durability: StoreDurability

    init(settings: PostgresStoreSettings, durability: StoreDurability) throws(PostgresStoreError) {
        self.settings = settings
        self.durability = durability
        var tls = PostgresConnection.Configuration.TLS.disable
        if settings.sslMode != "disable" {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if settings.sslMode == "require" { configuration.certificateVerification = .none }
            do { tls = .require(try NIOSSLContext(configuration: configuration)) } catch {
                throw PostgresStoreError.configuration("TLS: \(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                                             password: settings.password, database: settings.database, tls: tls)
        configuration.options.connectTimeout = .milliseconds(settings.answerTimeoutMilliseconds)
        self.configuration = configuration
    }

    /// How many connections this session has opened (1 until one is lost).
    var connectionsOpened: Int { connectionCount }

    /// Runs one statement on the current connection, opening one first if there is none.
    func query(_ query: PostgresQuery) throws(PostgresFailure) -> PostgresQueryResult {
        let connection = try connected()
        do {
            return try wait(connection.query(query, logger: logger)) { Self.close(connection) }
        } catch {
            if error.losesConnection { drop() }
            throw error
        }
    }

    /// Closes the connection (the next query opens a new one).
    func drop() {
        guard let connection else { return }
        self.connection = nil
        Self.close(connection)
    }

    /// Closes `connection` without waiting, keeping it alive until the close completes
    /// (postgres-nio requires a connection to be closed before it is released).
    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func connected() throws(PostgresFailure) -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        connectionCount += 1
        let future = PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                id: connectionCount, logger: logger)
        let fresh = try wait(future) { future.whenSuccess { Self.close($0) } }
        connection = fresh
        do {
            let timeout = settings.answerTimeoutMilliseconds
            _ = try wait(fresh.query("SELECT set_config('qt.bot_id', \(settings.bot), false)", logger: logger)) { Self.close(fresh) }
            _ = try wait(fresh.query(PostgresQuery(unsafeSQL: "SET search_path TO \(settings.schema)"), logger: logger)) { Self.close(fresh) }
            _ = try wait(fresh.query(PostgresQuery(unsafeSQL: "SET statement_timeout = \(timeout)"), logger: logger)) { Self.close(fresh) }
            let synchronous = durability.postgresSynchronousCommit
            _ = try wait(fresh.query(PostgresQuery(unsafeSQL: "SET synchronous_commit = \(synchronous)"), logger: logger)) { Self.close(fresh) }
        } catch {
            drop()
            throw error
        }
        return fresh
    }

    /// Waits for `future` at most the answer timeout; on timeout runs `abandon` (closing the
    /// connection, so the server rolls back whatever was open) and throws `.timedOut`.
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>, abandon: @escaping @Sendable () -> Void) throws(PostgresFailure) -> T {
        let semaphore = DispatchSemaphore(value: 0)
        let outcome = NIOLockedValueBox<Result<T, any Error>?>(nil)
        future.whenComplete { result in
            outcome.withLockedValue { $0 = result }
            semaphore.signal()
        }
        let milliseconds = settings.answerTimeoutMilliseconds
        if semaphore.wait(timeout: .now() + .milliseconds(Int(milliseconds))) == .timedOut {
            abandon()
            throw .timedOut(milliseconds: milliseconds)
        }
        switch outcome.withLockedValue({ $0 }) {
        case .success(let value): return value
        case .failure(let error): throw PostgresFailure(error)
        case nil: throw .lost("no result")  // unreachable: the semaphore is signalled after the result is set
        }
    }
}

/// How a statement failed, by how the store handles it.
enum PostgresFailure: Error, Sendable {
    /// The connection is gone (closed by the server or the network, or never opened).
    case lost(String)
    /// No answer within the answer timeout (the connection was closed).
    case timedOut(milliseconds: Int64)
    /// The server refused the statement (constraint, syntax, raised exception); the connection
    /// is fine and the transaction must be rolled back.
    case refused(state: String, message: String)

    init(_ error: any Error) {
        guard let error = error as? PSQLError else {
            self = .lost(String(describing: error))
            return
        }
        let code = error.code
        if code == .serverClosedConnection || code == .clientClosedConnection || code == .connectionError || code == .uncleanShutdown {
            self = .lost("\(code)")
            return
        }
        guard let server = error.serverInfo else {
            self = .refused(state: "", message: "\(code)")
            return
        }
        let state = server[.sqlState] ?? ""
        let message = "\(state.isEmpty ? "" : state + ": ")\(server[.message] ?? "")"
        // 08xxx: connection exceptions; 57P0x: the server is shutting down or terminated the
        // session. A statement cancelled at `statement_timeout` (57014) leaves the connection
        // usable: it is refused like any failed statement, and the transaction rolled back.
        if state.hasPrefix("08") || state.hasPrefix("57P") {
            self = .lost(message)
        } else {
            self = .refused(state: state, message: message)
        }
    }

    /// A foreign key violation (23503): for the store, a row pointing at a run that does not
    /// exist or belongs to another bot.
    var isForeignKeyViolation: Bool {
        if case .refused(let state, _) = self { return state == "23503" }
        return false
    }

    /// Whether the connection must be replaced.
    var losesConnection: Bool {
        switch self {
        case .lost, .timedOut: true
        case .refused: false
        }
    }

    var message: String {
        switch self {
        case .lost(let detail): "connection to PostgreSQL lost (\(detail))"
        case .timedOut(let milliseconds): "PostgreSQL did not answer within \(milliseconds) ms"
        case .refused(_, let message): message
        }
    }
}
