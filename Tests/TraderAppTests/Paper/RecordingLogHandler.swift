import Synchronization
import Logging
import TradingEngine

/// A swift-log handler that keeps every line in memory (tests read the session's log).
/// A lock-protected box (`@unchecked Sendable`: `lock` guards `lines`).
final class RecordedLog: @unchecked Sendable {
    struct Line: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let lock = Mutex(())
    private var lines: [Line] = []

    func append(_ line: Line) { lock.withLock { _ in lines.append(line) } }
    var all: [Line] { lock.withLock { _ in lines } }
    func messages(_ message: String) -> [Line] { all.filter { $0.message == message } }

    /// A logger writing into this record.
    func logger(label: String = "test.paper") -> Logger {
        Logger(label: label, factory: { _ in RecordingLogHandler(record: self) })
    }
}

struct RecordingLogHandler: LogHandler {
    let record: RecordedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        record.append(RecordedLog.Line(message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}
