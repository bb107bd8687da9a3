/// A TOML table: keys in document order, each with its value and line.
public struct ConfigTable: Sendable, Hashable {
    /// How the table came into existence; decides whether it may be extended later.
    public enum Origin: Sendable, Hashable {
        /// Created as the parent of a header or dotted key (`[a.b]` creates `a`).
        case implicit
        /// Declared by its own `[header]`.
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`).
        case dottedKey
        /// An inline table `{ … }`; closed once written.
        case inline
    }

    /// Keys in the order they first appear.
    public private(set) var keys: [String] = []
    private var entries: [String: ConfigValue] = [:]
    /// Line of the header or key that created the table (0 for the root).
    public var line: Int
    public var origin: Origin

    public init(line: Int, origin: Origin) {
        self.line = line
        self.origin = origin
    }

    public subscript(key: String) -> ConfigValue? { entries[key] }

    /// Adds a new key; the caller has checked that it is not present.
    mutating func insert(_ key: String, _ value: ConfigValue) {
        precondition(entries[key] == nil, "duplicate key inserted")
        keys.append(key)
        entries[key] = value
    }

    /// Replaces the value of an existing key (used to descend into nested tables).
    mutating func replace(_ key: String, _ value: ConfigValue) {
        precondition(entries[key] != nil, "replacing a missing key")
        entries[key] = value
    }

    /// Number of leaf settings (non-table values) in this table and all sub-tables.
    public var leafCount: Int {
        keys.reduce(0) { count, key in
            if case .table(let table) = entries[key]!.kind { return count + table.leafCount }
            return count + 1
        }
    }
}
