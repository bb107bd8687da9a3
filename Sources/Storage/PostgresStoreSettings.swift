import Foundation

/// Where a PostgreSQL store lives and whose rows it may touch.
///
/// The URL (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require`) carries a password, so
/// it comes from the environment (`QT_POSTGRES_URL`) or a key file, never from the configuration
/// file, and `description` never shows the password.
public struct PostgresStoreSettings: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// `disable` (loopback default), `require` or `verify-full` (TLS with the system's trust roots).
    public var sslMode: String
    /// The bot whose rows this store reads and writes (`[storage] bot`).
    public var bot: String
    /// The schema holding the tables (`public` unless the URL says `?schema=`; tests use one each).
    public var schema: String
    /// The longest a call waits for the server (connecting, or any one statement) before it
    /// fails, closing the connection; also the server's `statement_timeout`.
    public var answerTimeout: Duration
    /// Rows per multi-row `INSERT` when a whole run is recorded (at most 1,000; tests lower it to
    /// cross the batch boundaries with few rows).
    var recordingRowsPerStatement = 1_000

    /// Parses a `postgres://` or `postgresql://` URL; errors never repeat the password.
    public init(url: String, bot: String, answerTimeout: Duration = .seconds(10)) throws(PostgresStoreError) {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty
        else { throw PostgresStoreError.configuration("the PostgreSQL URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE") }
        guard let user = components.user, !user.isEmpty else { throw PostgresStoreError.configuration("the PostgreSQL URL names no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw PostgresStoreError.configuration("the PostgreSQL URL names no database") }
        guard Self.isName(bot) else {
            throw PostgresStoreError.configuration("[storage] bot '\(bot)' must be letters, digits, '-', '_' or '.' (1-64)")
        }
        self.host = host
        port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        sslMode = query["sslmode"] ?? "disable"
        guard ["disable", "require", "verify-full"].contains(sslMode) else {
            throw PostgresStoreError.configuration("sslmode '\(sslMode)' is not one of disable, require, verify-full")
        }
        schema = query["schema"] ?? "public"
        guard Self.isName(schema), !schema.contains("-"), !schema.contains(".") else {
            throw PostgresStoreError.configuration("schema '\(schema)' must be letters, digits or '_'")
        }
        self.bot = bot
        guard answerTimeout > .zero, answerTimeout <= .seconds(3600) else {
            throw PostgresStoreError.configuration("the answer timeout must be more than 0 and at most 3600 s")
        }
        self.answerTimeout = answerTimeout
    }

    /// `answerTimeout` in whole milliseconds (at least 1).
    var answerTimeoutMilliseconds: Int64 {
        let (seconds, attoseconds) = answerTimeout.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// The URL without its password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database) (schema \(schema), bot \(bot))" }

    static func isName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E
        }
    }
}

/// Why the PostgreSQL store could not be opened.
public enum PostgresStoreError: Error, Sendable, CustomStringConvertible {
    case configuration(String)
    /// The database's schema is behind this build: `qt store migrate` brings it forward.
    case migrationNeeded(applied: [String], known: [String])
    /// The database was migrated by a newer build.
    case newerSchema(applied: [String], known: [String])

    public var description: String {
        switch self {
        case .configuration(let message): "PostgreSQL store: \(message)"
        case .migrationNeeded(let applied, let known):
            "PostgreSQL store: the database has migrations \(applied), this build needs \(known); run `qt store migrate`"
        case .newerSchema(let applied, let known):
            "PostgreSQL store: the database has migrations \(applied), newer than this build knows (\(known)); refusing to write"
        }
    }
}
