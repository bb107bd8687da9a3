import Foundation

extension ConfigDocument {
    /// A copy of this document with settings replaced or added from `KEY=VALUE` texts
    /// (`strategy.fast_period=8`, `exit.price_source="mark"`), as `qt backtest --set` gives them.
    ///
    /// `KEY` is a dotted path of bare keys; `VALUE` is a TOML value (strings in quotes). The
    /// override goes through the same strict mapping as the file, so a mistyped key is reported
    /// as unknown and a wrong type as a type error. The document's text (and so the run's
    /// configuration fingerprint) gets the overrides appended as comments.
    public func overriding(_ assignments: [String]) throws(ConfigError) -> ConfigDocument {
        var root = self.root
        var text = self.text
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ConfigError(kind: .syntax, file: "--set", line: nil, key: nil, message: "'\(assignment)': expected KEY=VALUE")
            }
            let key = assignment[..<equals].trimmingCharacters(in: .whitespaces)
            let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, path.allSatisfy(Self.isBareKey) else {
                throw ConfigError(kind: .syntax, file: "--set", line: nil, key: key, message: "'\(key)' is not a dotted key of bare names")
            }
            let valueText = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            var parser = TOMLParser(text: "value = \(valueText)\n", file: "--set \(key)")
            guard let parsed = try parser.parse()["value"] else {
                throw ConfigError(kind: .syntax, file: "--set", line: nil, key: key, message: "no value")
            }
            try Self.set(parsed, at: path[...], in: &root, fullKey: key)
            text += "\n# --set \(key) = \(valueText)"
        }
        return ConfigDocument(file: file, root: root, text: text)
    }

    private static func set(_ value: ConfigValue, at path: ArraySlice<String>, in table: inout ConfigTable, fullKey: String) throws(ConfigError) {
        guard let first = path.first else { return }
        if path.count == 1 {
            if let existing = table[first] {
                if case .table = existing.kind {
                    throw ConfigError(kind: .wrongType, file: "--set", line: existing.line, key: fullKey, message: "'\(fullKey)' is a table, not a value")
                }
                table.replace(first, ConfigValue(kind: value.kind, line: existing.line))
            } else {
                table.insert(first, ConfigValue(kind: value.kind, line: 0))
            }
            return
        }
        var child: ConfigTable
        if let existing = table[first] {
            guard case .table(let existingTable) = existing.kind else {
                throw ConfigError(kind: .wrongType, file: "--set", line: existing.line, key: fullKey, message: "'\(first)' is a value, not a table")
            }
            child = existingTable
            try set(value, at: path.dropFirst(), in: &child, fullKey: fullKey)
            table.replace(first, ConfigValue(kind: .table(child), line: existing.line))
        } else {
            child = ConfigTable(line: 0, origin: .header)
            try set(value, at: path.dropFirst(), in: &child, fullKey: fullKey)
            table.insert(first, ConfigValue(kind: .table(child), line: 0))
        }
    }

    private static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
    }
}
