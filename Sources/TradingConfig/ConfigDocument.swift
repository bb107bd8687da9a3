import Foundation
import Synchronization

/// A parsed configuration file plus a record of which keys the program read.
///
/// Typical use, in the composition root:
/// ```swift
/// let document = try ConfigDocument.load(path: "config/default.toml")
/// let exit = try ExitSettings(from: document.section("exit"))
/// try document.rejectUnusedKeys()   // every key must be read by some module
/// ```
/// Thread-safe: the usage record is behind a mutex, so sections may be read from any task.
public final class ConfigDocument: Sendable {
    /// The file name used in every error message.
    public let file: String
    /// The whole document.
    public let root: ConfigTable
    /// The text the document was parsed from (for a fingerprint of the run's configuration).
    public let text: String
    private let usage = Mutex(Usage())

    /// Which keys were read, which were asked for, which tables were opened.
    struct Usage {
        var usedLeaves: Set<[String]> = []
        var requestedKeys: [[String]: Set<String>] = [:]
        var openedTables: Set<[String]> = [[]]
    }

    init(file: String, root: ConfigTable, text: String) {
        self.file = file
        self.root = root
        self.text = text
    }

    /// Largest configuration file accepted (a real one is a few kilobytes).
    public static let maximumFileBytes = 1 << 20

    /// Reads and parses a file; errors name `path`. Only a regular file of at most
    /// `maximumFileBytes` of UTF-8 text is read (a directory or device is refused unread).
    public static func load(path: String) throws(ConfigError) -> ConfigDocument {
        let text = try ConfigFileReader.read(path: path, maximumBytes: maximumFileBytes)
        return try parse(text: text, file: path)
    }

    /// Parses TOML text; `file` is only used in error messages.
    public static func parse(text: String, file: String) throws(ConfigError) -> ConfigDocument {
        var parser = TOMLParser(text: text, file: file)
        return ConfigDocument(file: file, root: try parser.parse(), text: text)
    }

    /// The root table as a section (for top-level keys).
    public var rootSection: ConfigSection { ConfigSection(document: self, path: []) }

    /// The top-level table `[name]`. A missing table reads as empty: defaults apply and required
    /// keys report themselves missing.
    public func section(_ name: String) -> ConfigSection { ConfigSection(document: self, path: [name]) }

    /// Number of settings (leaf values) in the file.
    public var keyCount: Int { root.leafCount }

    /// Throws one error per key (and per empty table) that no code read, in file order:
    /// `config/x.toml:12: unknown key 'exit.stop_los' (did you mean 'exit.stop_loss'?)`.
    public func rejectUnusedKeys() throws(ConfigErrorList) {
        let snapshot = usage.withLock { $0 }
        var errors: [ConfigError] = []
        collectUnused(in: root, path: [], usage: snapshot, into: &errors)
        if !errors.isEmpty {
            throw ConfigErrorList(errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
    }

    /// All leaf keys that no code read, as full dotted keys (for tools and tests).
    public func unusedKeys() -> [String] {
        let snapshot = usage.withLock { $0 }
        var errors: [ConfigError] = []
        collectUnused(in: root, path: [], usage: snapshot, into: &errors)
        return errors.compactMap(\.key)
    }

    private func collectUnused(in table: ConfigTable, path: [String], usage snapshot: Usage, into errors: inout [ConfigError]) {
        if table.keys.isEmpty && !path.isEmpty && !snapshot.openedTables.contains(path) {
            errors.append(ConfigError(kind: .unknownKey, file: file, line: table.line, key: dotted(path),
                                      message: "unknown table '\(dotted(path))'"))
        }
        for key in table.keys {
            let value = table[key]!
            let keyPath = path + [key]
            if case .table(let child) = value.kind {
                collectUnused(in: child, path: keyPath, usage: snapshot, into: &errors)
            } else if !snapshot.usedLeaves.contains(keyPath) {
                var message = "unknown key '\(dotted(keyPath))'"
                if let suggestion = Self.closest(to: key, in: snapshot.requestedKeys[path] ?? [], excluding: table) {
                    message += " (did you mean '\(dotted(path + [suggestion]))'?)"
                }
                errors.append(ConfigError(kind: .unknownKey, file: file, line: value.line, key: dotted(keyPath), message: message))
            }
        }
    }

    /// The requested key nearest to a misspelt one (edit distance ≤ 2), if any.
    private static func closest(to key: String, in candidates: Set<String>, excluding table: ConfigTable) -> String? {
        var best: (key: String, distance: Int)?
        for candidate in candidates.sorted() where table[candidate] == nil {
            let distance = editDistance(Array(key.utf8), Array(candidate.utf8))
            if distance <= 2 && (best == nil || distance < best!.distance) { best = (candidate, distance) }
        }
        return best?.key
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    // MARK: - Usage tracking (called by ConfigSection)

    func noteRequested(_ key: String, in tablePath: [String]) {
        usage.withLock { _ = $0.requestedKeys[tablePath, default: []].insert(key) }
    }

    func noteUsed(_ keyPath: [String]) {
        usage.withLock { _ = $0.usedLeaves.insert(keyPath) }
    }

    func noteOpened(_ tablePath: [String]) {
        usage.withLock { _ = $0.openedTables.insert(tablePath) }
    }
}
