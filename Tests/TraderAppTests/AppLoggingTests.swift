import Logging
import Testing
@testable import TraderApp

/// `[logging] level` and `QT_LOG_LEVEL` decide what the process logs (the handler reads the
/// process level when it logs). Serialized: the level is process-wide.
@Suite(.serialized)
struct AppLoggingTests {
    /// Collects what reaches the wrapped handler.
    final class Sink: @unchecked Sendable {
        var messages: [String] = []
    }

    struct RecordingHandler: LogHandler {
        let sink: Sink
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { sink.messages.append("\(event.level): \(event.message)") }
    }

    @Test func configuredLevelFiltersLoggersMadeBeforeItWasApplied() {
        let sink = Sink()
        let logger = Logger(label: "test") { _ in ProcessLevelLogHandler(inner: RecordingHandler(sink: sink)) }
        defer { AppLogging.apply(LoggingSettings(level: .info)) }
        AppLogging.apply(LoggingSettings(level: .warning))
        logger.info("dropped at warning")
        logger.warning("kept at warning")
        AppLogging.apply(LoggingSettings(level: .debug))
        logger.debug("kept at debug")
        logger.trace("dropped at debug")
        #expect(sink.messages == ["warning: kept at warning", "debug: kept at debug"])
    }

    @Test func loggerOwnLevelWinsOverProcessLevel() {
        let sink = Sink()
        var logger = Logger(label: "test") { _ in ProcessLevelLogHandler(inner: RecordingHandler(sink: sink)) }
        logger.logLevel = .error
        logger.warning("dropped")
        logger.error("kept")
        #expect(sink.messages == ["error: kept"])
    }

    @Test func environmentLevelIsParsedAndABadOneIsNamed() throws {
        #expect(try AppLogging.environmentLevel([:]) == nil)
        #expect(try AppLogging.environmentLevel(["QT_LOG_LEVEL": "DEBUG"]) == .debug)
        #expect(throws: LoggingLevelError.self) { try AppLogging.environmentLevel(["QT_LOG_LEVEL": "loud"]) }
        do {
            _ = try AppLogging.environmentLevel(["QT_LOG_LEVEL": "loud"])
        } catch {
            #expect(error.description.contains("QT_LOG_LEVEL='loud'"))
        }
    }
}
