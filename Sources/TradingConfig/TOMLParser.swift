import TradingModel

/// A small, strict TOML parser for configuration files.
///
/// Accepts: comments, `[table]` / `[a.b]` headers, bare and quoted keys, dotted keys, basic and
/// literal strings (single line), decimal integers, floats, booleans, arrays (multi-line, trailing
/// comma allowed) and inline tables. Rejects, with a line number: duplicate keys and tables,
/// arrays of tables, multi-line strings, dates, `inf`/`nan`, hex/octal/binary integers, leading
/// zeros, and anything else that is not valid TOML. Numbers keep their literal text.
struct TOMLParser {
    /// Arrays and inline tables may nest this deep (a configuration needs two or three levels;
    /// the limit keeps the recursive parser far from the end of the stack).
    static let maximumNesting = 32
    /// Parts of one dotted key or table header (`a.b.c` has three).
    static let maximumKeyParts = 32
    /// Bytes of one key part.
    static let maximumKeyLength = 256

    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var root = ConfigTable(line: 0, origin: .header)
    /// Path of the table the current `key = value` lines belong to.
    private var currentPath: [String] = []
    /// Arrays and inline tables open around the value being parsed.
    private var nesting = 0

    init(text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    /// Parses the whole text into the root table.
    mutating func parse() throws(ConfigError) -> ConfigTable {
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "\n"):
                advanceLine()
            case UInt8(ascii: "\r"):
                try expectNewline()
            case UInt8(ascii: "["):
                try parseHeader()
                try expectEndOfLine()
            default:
                try parseKeyValue(into: currentPath)
                try expectEndOfLine()
            }
        }
        return root
    }

    // MARK: - Lines

    private mutating func parseHeader() throws(ConfigError) {
        let headerLine = line
        index += 1
        if peek() == UInt8(ascii: "[") {
            throw syntax("arrays of tables ([[…]]) are not supported")
        }
        skipWhitespace()
        let path = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "]") else { throw syntax("expected ']' to close the table header") }
        index += 1
        try defineTable(path, line: headerLine)
        currentPath = path
    }

    private mutating func parseKeyValue(into tablePath: [String]) throws(ConfigError) {
        let keyLine = line
        let key = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "=") else { throw syntax("expected '=' after key '\(dotted(key))'") }
        index += 1
        skipWhitespace()
        let value = try parseValue()
        try insertValue(value, at: tablePath, key: key, line: keyLine, table: &root)
    }

    private mutating func expectEndOfLine() throws(ConfigError) {
        skipWhitespace()
        guard let byte = peek() else { return }
        if byte == UInt8(ascii: "#") { return try skipComment() }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return try expectNewline() }
        throw syntax("unexpected \(Self.quoted(byte)) after value; expected end of line")
    }

    // MARK: - Keys

    /// `a`, `"quoted key"`, `'literal'`, `a.b . c`.
    private mutating func parseKey() throws(ConfigError) -> [String] {
        var parts: [String] = []
        while true {
            skipWhitespace()
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r"), byte != UInt8(ascii: "#") else {
                throw syntax("expected a key")
            }
            guard parts.count < Self.maximumKeyParts else {
                throw syntax("a key with more than \(Self.maximumKeyParts) dotted parts")
            }
            let part: String
            if byte == UInt8(ascii: "\"") {
                part = try parseBasicString()
            } else if byte == UInt8(ascii: "'") {
                part = try parseLiteralString()
            } else {
                let start = index
                while let next = peek(), Self.isBareKeyByte(next) { index += 1 }
                guard index > start else {
                    throw syntax("invalid character \(Self.quoted(byte)) in key")
                }
                part = String(decoding: bytes[start..<index], as: UTF8.self)
            }
            guard part.utf8.count <= Self.maximumKeyLength else {
                throw syntax("a key longer than \(Self.maximumKeyLength) bytes")
            }
            parts.append(part)
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    // MARK: - Values

    private mutating func parseValue() throws(ConfigError) -> ConfigValue {
        let valueLine = line
        guard let byte = peek() else { throw syntax("expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            if startsWith("\"\"\"") { throw syntax("multi-line strings are not supported") }
            return ConfigValue(kind: .string(try parseBasicString()), line: valueLine)
        case UInt8(ascii: "'"):
            if startsWith("'''") { throw syntax("multi-line strings are not supported") }
            return ConfigValue(kind: .string(try parseLiteralString()), line: valueLine)
        case UInt8(ascii: "["):
            try enterNesting()
            defer { nesting -= 1 }
            return ConfigValue(kind: .array(try parseArray()), line: valueLine)
        case UInt8(ascii: "{"):
            try enterNesting()
            defer { nesting -= 1 }
            return ConfigValue(kind: .table(try parseInlineTable()), line: valueLine)
        default:
            let start = index
            while let next = peek(), Self.isBareValueByte(next) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            if word.isEmpty { throw syntax("expected a value") }
            if word == "true" { return ConfigValue(kind: .boolean(true), line: valueLine) }
            if word == "false" { return ConfigValue(kind: .boolean(false), line: valueLine) }
            return ConfigValue(kind: try TOMLNumber.classify(word, error: syntax), line: valueLine)
        }
    }

    /// One more array or inline table around the next value; refused beyond `maximumNesting`.
    private mutating func enterNesting() throws(ConfigError) {
        guard nesting < Self.maximumNesting else {
            throw syntax("arrays and inline tables nested deeper than \(Self.maximumNesting) levels")
        }
        nesting += 1
    }

    private static func isBareValueByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    private mutating func parseArray() throws(ConfigError) -> [ConfigValue] {
        index += 1
        var items: [ConfigValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            guard let byte = peek() else { throw syntax("unterminated array") }
            if byte == UInt8(ascii: "]") { index += 1; return items }
            items.append(try parseValue())
            try skipWhitespaceCommentsAndNewlines()
            guard let separator = peek() else { throw syntax("unterminated array") }
            if separator == UInt8(ascii: ",") { index += 1; continue }
            if separator == UInt8(ascii: "]") { index += 1; return items }
            throw syntax("expected ',' or ']' in array")
        }
    }

    private mutating func parseInlineTable() throws(ConfigError) -> ConfigTable {
        let tableLine = line
        index += 1
        var table = ConfigTable(line: tableLine, origin: .inline)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return table }
        while true {
            skipWhitespace()
            let keyLine = line
            let key = try parseKey()
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else { throw syntax("expected '=' after key '\(dotted(key))'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            try insertValue(value, at: [], key: key, line: keyLine, table: &table)
            skipWhitespace()
            guard let separator = peek() else { throw syntax("unterminated inline table") }
            if separator == UInt8(ascii: ",") { index += 1; continue }
            if separator == UInt8(ascii: "}") { index += 1; table.origin = .inline; return table }
            throw syntax("expected ',' or '}' in inline table (inline tables must fit on one line)")
        }
    }

    private mutating func parseBasicString() throws(ConfigError) -> String {
        index += 1
        var chunkStart = index
        func flush(_ parser: TOMLParser, _ end: Int) -> String {
            String(decoding: parser.bytes[chunkStart..<end], as: UTF8.self)
        }
        var text = ""
        while true {
            guard let byte = peek() else { throw syntax("unterminated string") }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { throw syntax("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                text += flush(self, index)
                index += 1
                return text
            }
            if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
                throw syntax("control character in string")
            }
            if byte == UInt8(ascii: "\\") {
                text += flush(self, index)
                index += 1
                text.unicodeScalars.append(try parseEscape())
                chunkStart = index
                continue
            }
            index += 1
        }
    }

    private mutating func parseEscape() throws(ConfigError) -> Unicode.Scalar {
        guard let byte = peek() else { throw syntax("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard index + count <= bytes.count,
                  let code = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(code)
            else { throw syntax("invalid unicode escape in string") }
            index += count
            return scalar
        default:
            throw syntax("invalid escape \(Self.quoted(byte, after: "\\")) in string")
        }
    }

    private mutating func parseLiteralString() throws(ConfigError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                throw syntax("unterminated string")
            }
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
                throw syntax("control character in string")
            }
            index += 1
        }
    }

    // MARK: - Tree building

    /// Declares `[path]`: creates missing parents; a table may be declared only once.
    private mutating func defineTable(_ path: [String], line headerLine: Int) throws(ConfigError) {
        let context = Context(file: file, line: headerLine, fullPath: path, dottedFrom: Int.max)
        try Self.descend(&root, path.dropLast(), finalKey: path.last!, context: context, depth: 0) { table, key throws(ConfigError) in
            if let existing = table[key] {
                guard case .table(var child) = existing.kind else {
                    throw context.error(.duplicateKey, "'\(dotted(path))' is already defined as a value on line \(existing.line)")
                }
                guard child.origin == .implicit else {
                    throw context.error(.duplicateKey, "table '\(dotted(path))' is already defined on line \(child.line)")
                }
                child.origin = .header
                child.line = headerLine
                table.replace(key, ConfigValue(kind: .table(child), line: headerLine))
            } else {
                table.insert(key, ConfigValue(kind: .table(ConfigTable(line: headerLine, origin: .header)), line: headerLine))
            }
        }
    }

    /// Inserts `key = value` (with a possibly dotted key) below `tablePath`.
    private func insertValue(_ value: ConfigValue, at tablePath: [String], key: [String], line keyLine: Int,
                             table: inout ConfigTable) throws(ConfigError) {
        let fullPath = tablePath + key
        let context = Context(file: file, line: keyLine, fullPath: fullPath, dottedFrom: tablePath.count)
        try Self.descend(&table, fullPath.dropLast(), finalKey: fullPath.last!, context: context, depth: 0) {
            leaf, last throws(ConfigError) in
            if let existing = leaf[last] {
                throw context.error(.duplicateKey, "duplicate key '\(dotted(fullPath))' (first defined on line \(existing.line))")
            }
            leaf.insert(last, value)
        }
    }

    /// Where a definition happens, for error messages and table origins.
    private struct Context {
        var file: String
        var line: Int
        var fullPath: [String]
        /// Parents at this depth or deeper are created by a dotted key.
        var dottedFrom: Int

        func error(_ kind: ConfigError.Kind, _ message: String) -> ConfigError {
            ConfigError(kind: kind, file: file, line: line, key: dotted(fullPath), message: message)
        }
    }

    /// Walks `parents` from `table`, creating missing tables, then calls `body` on the last table.
    private static func descend(
        _ table: inout ConfigTable, _ parents: ArraySlice<String>, finalKey: String, context: Context, depth: Int,
        _ body: (inout ConfigTable, String) throws(ConfigError) -> Void
    ) throws(ConfigError) {
        guard let first = parents.first else { return try body(&table, finalKey) }
        let name = dotted(Array(context.fullPath.prefix(depth + 1)))
        var child: ConfigTable
        let childLine: Int
        if let existing = table[first] {
            guard case .table(let existingTable) = existing.kind else {
                throw context.error(.duplicateKey, "'\(name)' is already a value (line \(existing.line)), not a table")
            }
            if existingTable.origin == .inline {
                throw context.error(.duplicateKey, "inline table '\(name)' (line \(existing.line)) cannot be extended")
            }
            if depth >= context.dottedFrom && existingTable.origin == .header {
                throw context.error(.duplicateKey, "table '\(name)' is already defined on line \(existingTable.line)")
            }
            child = existingTable
            childLine = existing.line
            // Swap a placeholder in so `child` is uniquely referenced while it is modified.
            table.replace(first, ConfigValue(kind: .boolean(false), line: childLine))
        } else {
            child = ConfigTable(line: context.line, origin: depth >= context.dottedFrom ? .dottedKey : .implicit)
            childLine = context.line
            table.insert(first, ConfigValue(kind: .boolean(false), line: childLine))
        }
        try descend(&child, parents.dropFirst(), finalKey: finalKey, context: context, depth: depth + 1, body)
        table.replace(first, ConfigValue(kind: .table(child), line: childLine))
    }

    // MARK: - Scanning

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func startsWith(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
    }

    private mutating func advanceLine() {
        index += 1
        line += 1
    }

    private mutating func expectNewline() throws(ConfigError) {
        if peek() == UInt8(ascii: "\r") {
            index += 1
            guard peek() == UInt8(ascii: "\n") else { throw syntax("bare carriage return") }
        }
        advanceLine()
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    private mutating func skipComment() throws(ConfigError) {
        while let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F { throw syntax("control character in comment") }
            index += 1
        }
    }

    private mutating func skipWhitespaceCommentsAndNewlines() throws(ConfigError) {
        while true {
            skipWhitespace()
            guard let byte = peek() else { return }
            if byte == UInt8(ascii: "#") { try skipComment() }
            else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { try expectNewline() }
            else { return }
        }
    }

    /// A byte for a message: `'x'` when printable ASCII, else `byte 0x1B` (a control byte or
    /// part of a multi-byte character is never printed raw: it could drive the terminal).
    private static func quoted(_ byte: UInt8, after prefix: String = "") -> String {
        if (0x20..<0x7F).contains(byte) { return "'\(prefix)\(Character(UnicodeScalar(byte)))'" }
        let digits = Array("0123456789ABCDEF")
        return "byte 0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    private func syntax(_ message: String) -> ConfigError {
        ConfigError(kind: .syntax, file: file, line: line, key: nil, message: message)
    }
}

/// Joins a key path for messages: `exit.stop_loss`.
func dotted(_ path: [String]) -> String {
    path.map { part in
        part.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 })
            && !part.isEmpty ? part : "\"\(ConfigValue.escaped(part))\""
    }.joined(separator: ".")
}
