import Logging

/// Process-wide logging set-up. Only the app bootstraps logging; libraries take a `Logger`.
public enum AppLogging {
    /// Bootstraps swift-log once: human-readable lines on stderr, level from `QT_LOG_LEVEL`
    /// (`trace` … `critical`, default `info`).
    public static func bootstrap(environment: [String: String]) {
        let level = environment["QT_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
