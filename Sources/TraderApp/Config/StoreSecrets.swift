/// The PostgreSQL store's URL (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require`):
/// it holds a password, so it comes from `QT_POSTGRES_URL` in the key file when one is given
/// (outside the repository, mode 600) or else the environment, never from the configuration
/// file; it is never printed, logged or stored.
public struct StoreSecrets: Sendable, CustomStringConvertible {
    public static let urlName = "QT_POSTGRES_URL"
    public var postgresURL: String?

    public init(postgresURL: String?) {
        self.postgresURL = postgresURL
    }

    public var description: String { "StoreSecrets(redacted)" }

    /// Reads the URL from the key file (when given) or `environment`; absent is not an error
    /// here (only the postgres backend needs it).
    public static func load(environment: [String: String], keyFile: String? = nil,
                            repositoryRoot: String? = nil) throws(LiveCredentialsError) -> StoreSecrets {
        var values = environment
        if let keyFile {
            for (name, value) in try KeyFile.read(keyFile, repositoryRoot: repositoryRoot) { values[name] = value }
        }
        return StoreSecrets(postgresURL: values[urlName].flatMap { $0.isEmpty ? nil : $0 })
    }
}
