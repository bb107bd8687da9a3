import Logging
import Synchronization

/// Process-wide logging set-up. Only the app bootstraps logging; libraries take a `Logger`.
///
/// The level is decided in this order: `QT_LOG_LEVEL` in the environment (`trace` … `critical`),
/// else `[logging] level` of the configuration a command loaded, else `info`. `qt` commands call
/// `bootstrap` once at start (before a configuration is read) and `apply` when they have read
/// one; every handler reads the process level when it logs, so loggers made before `apply` follow
/// it too.
public enum AppLogging {
    private struct State {
        var bootstrapped = false
        var level: Logger.Level = .info
        /// `QT_LOG_LEVEL` was given: the configuration does not override it.
        var pinnedByEnvironment = false
    }

    private static let state = Mutex(State())

    /// The level handlers log at now.
    public static var level: Logger.Level { state.withLock { $0.level } }

    /// Bootstraps swift-log once per process (later calls only re-read the environment):
    /// human-readable lines on stderr. A `QT_LOG_LEVEL` that is not a level is an error naming it.
    public static func bootstrap(environment: [String: String]) throws(LoggingLevelError) {
        let pinned = try environmentLevel(environment)
        let first = state.withLock { state in
            if let pinned {
                state.level = pinned
                state.pinnedByEnvironment = true
            }
            defer { state.bootstrapped = true }
            return !state.bootstrapped
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in ProcessLevelLogHandler(inner: StreamLogHandler.standardError(label: label)) }
    }

    /// Applies a configuration's `[logging]` (unless `QT_LOG_LEVEL` pinned the level).
    public static func apply(_ settings: LoggingSettings) {
        state.withLock { state in
            if !state.pinnedByEnvironment { state.level = settings.level }
        }
    }

    /// The level `QT_LOG_LEVEL` names, nil when it is absent.
    static func environmentLevel(_ environment: [String: String]) throws(LoggingLevelError) -> Logger.Level? {
        guard let raw = environment["QT_LOG_LEVEL"] else { return nil }
        guard let level = Logger.Level(rawValue: raw.lowercased()) else { throw LoggingLevelError(value: raw) }
        return level
    }
}

/// `QT_LOG_LEVEL` holds something that is not a log level.
public struct LoggingLevelError: Error, CustomStringConvertible, Sendable {
    public var value: String
    public var description: String {
        "QT_LOG_LEVEL='\(value)' is not a log level (trace, debug, info, notice, warning, error, critical)"
    }
}

/// A handler whose threshold is the process level (`AppLogging.level`) unless a logger sets its
/// own; everything else is the wrapped handler's.
struct ProcessLevelLogHandler<Inner: LogHandler>: LogHandler {
    var inner: Inner
    private var ownLevel: Logger.Level?

    init(inner: Inner) {
        self.inner = inner
        self.inner.logLevel = .trace  // the threshold is decided here, not by the wrapped handler
    }

    var logLevel: Logger.Level {
        get { ownLevel ?? AppLogging.level }
        set { ownLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        inner.log(event: event)
    }
}
