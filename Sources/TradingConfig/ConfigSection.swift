/// A table of a `ConfigDocument` (`[exit]`, `[instruments.ATOMUSDT]`) with strict typed access.
///
/// Every accessor marks the key as used, so `ConfigDocument.rejectUnusedKeys()` can report
/// typos. Accessors come in three forms: `rate(_:default:range:)` (absent → default),
/// `requiredRate(_:range:)` (absent → `missingKey` error) and `optionalRate(_:range:)`
/// (absent → nil). A present value of the wrong type, out of range or otherwise invalid is
/// always an error, never replaced by the default.
public struct ConfigSection: Sendable {
    public let document: ConfigDocument
    /// Path from the root (`["instruments", "ATOMUSDT"]`).
    public let path: [String]

    init(document: ConfigDocument, path: [String]) {
        self.document = document
        self.path = path
    }

    /// The dotted name (`instruments.ATOMUSDT`); empty for the root.
    public var name: String { dotted(path) }

    /// The full dotted key of `key` in this section (`exit.stop_loss`).
    public func fullKey(_ key: String) -> String { dotted(path + [key]) }

    /// A nested table (`section("instruments").section("ATOMUSDT")`).
    public func section(_ key: String) -> ConfigSection {
        document.noteRequested(key, in: path)
        return ConfigSection(document: document, path: path + [key])
    }

    /// True when the table is written in the file (even if empty).
    public var exists: Bool { (try? table()) != nil }

    /// The keys written in this table, in file order (for dynamic tables such as instruments).
    /// Listing keys does not mark them used; read each one.
    public var keys: [String] {
        guard let table = try? table() else { return [] }
        return table.keys
    }

    /// True when `key` is written in this table. Does not mark it used.
    public func contains(_ key: String) -> Bool { (try? table())?[key] != nil }

    /// An `invalidValue` error located at `key` (its line when present), for checks across keys:
    /// `throw section.invalid("take_profit", "must be above stop_loss (0.02)")`.
    public func invalid(_ key: String, _ message: String) -> ConfigError {
        let line = (try? table())?[key]?.line
        return ConfigError(kind: .invalidValue, file: document.file, line: line, key: fullKey(key),
                           message: "'\(fullKey(key))' \(message)")
    }

    /// The line a key is written on, if present.
    public func line(of key: String) -> Int? { (try? table())?[key]?.line }

    // MARK: - Core lookup

    /// The table at `path`; nil when absent; throws when a path element is not a table.
    func table() throws(ConfigError) -> ConfigTable? {
        document.noteOpened(path)
        var table = document.root
        for (depth, key) in path.enumerated() {
            guard let value = table[key] else { return nil }
            guard case .table(let child) = value.kind else {
                let name = dotted(Array(path.prefix(depth + 1)))
                throw ConfigError(kind: .wrongType, file: document.file, line: value.line, key: name,
                                  message: "'\(name)' must be a table, found \(value.typeName) \(value.displayText)")
            }
            table = child
        }
        return table
    }

    /// Looks a key up and marks it used. Nil when absent.
    func lookup(_ key: String) throws(ConfigError) -> ConfigValue? {
        document.noteRequested(key, in: path)
        guard let value = try table()?[key] else { return nil }
        document.noteUsed(path + [key])
        return value
    }

    func missing(_ key: String) -> ConfigError {
        var message = "missing required key '\(fullKey(key))'"
        if !path.isEmpty { message += " in [\(name)]" }
        let tableLine = (try? table())?.line
        return ConfigError(kind: .missingKey, file: document.file, line: tableLine == 0 ? nil : tableLine,
                           key: fullKey(key), message: message)
    }

    func wrongType(_ key: String, expected: String, found value: ConfigValue) -> ConfigError {
        ConfigError(kind: .wrongType, file: document.file, line: value.line, key: fullKey(key),
                    message: "'\(fullKey(key))' must be \(expected), found \(value.typeName) \(value.displayText)")
    }

    func invalidValue(_ key: String, _ value: ConfigValue, _ message: String) -> ConfigError {
        ConfigError(kind: .invalidValue, file: document.file, line: value.line, key: fullKey(key),
                    message: "'\(fullKey(key))' = \(value.displayText) \(message)")
    }

    func outOfRange(_ key: String, _ value: ConfigValue, _ range: String) -> ConfigError {
        ConfigError(kind: .outOfRange, file: document.file, line: value.line, key: fullKey(key),
                    message: "'\(fullKey(key))' = \(value.displayText) is out of range \(range)")
    }

    /// Shared shape of every accessor: absent → nil; present → converted or an error.
    func read<T>(_ key: String, _ convert: (ConfigValue) throws(ConfigError) -> T) throws(ConfigError) -> T? {
        guard let value = try lookup(key) else { return nil }
        return try convert(value)
    }

    /// `read`, then the default when absent.
    func read<T>(_ key: String, default defaultValue: T, _ convert: (ConfigValue) throws(ConfigError) -> T) throws(ConfigError) -> T {
        try read(key, convert) ?? defaultValue
    }

    /// `read`, then a `missingKey` error when absent.
    func readRequired<T>(_ key: String, _ convert: (ConfigValue) throws(ConfigError) -> T) throws(ConfigError) -> T {
        guard let value = try read(key, convert) else { throw missing(key) }
        return value
    }
}

extension ConfigSection {
    /// The raw value of `key` (marked used), nil when absent: for tables whose values are data
    /// rather than settings (a sweep's parameter grid).
    public func rawValue(_ key: String) throws(ConfigError) -> ConfigValue? { try lookup(key) }

    /// Marks every leaf below this table used (the caller reads the table as data).
    public func markAllUsed() {
        guard let table = try? table() else { return }
        func mark(_ table: ConfigTable, _ prefix: [String]) {
            for key in table.keys {
                guard let value = table[key] else { continue }
                if case .table(let child) = value.kind {
                    document.noteOpened(prefix + [key])
                    mark(child, prefix + [key])
                } else {
                    document.noteUsed(prefix + [key])
                }
            }
        }
        mark(table, path)
    }

    /// The table itself (keys in file order), nil when absent.
    public var rawTable: ConfigTable? { try? table() }
}
