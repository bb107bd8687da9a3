import TradingModel

/// A configuration problem, as one readable line: `config/x.toml:12: unknown key 'exit.stop_los'`.
///
/// Configuration errors stop the program before it trades (fail closed); they are never
/// replaced by a default.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// How the configuration is wrong.
    public enum Kind: String, Sendable, Hashable {
        /// The file could not be read.
        case unreadable
        /// The text is not valid TOML (or uses a TOML feature this parser does not accept).
        case syntax
        /// A key or table is defined twice.
        case duplicateKey
        /// A key that no module reads (a typo, or a setting that no longer exists).
        case unknownKey
        /// A required setting is absent.
        case missingKey
        /// The value has the wrong TOML type (a string where a number belongs).
        case wrongType
        /// A number outside the allowed range.
        case outOfRange
        /// The value has the right type but is not acceptable (unknown choice, bad duration).
        case invalidValue
    }

    public var kind: Kind
    /// The file as given to `load(path:)` / `parse(text:file:)`.
    public var file: String
    /// 1-based line, when the problem has a place in the file.
    public var line: Int?
    /// Full dotted key (`exit.stop_loss`), when the problem concerns one.
    public var key: String?
    /// What is wrong, without the location prefix.
    public var message: String

    public init(kind: Kind, file: String, line: Int?, key: String?, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: message` (or `file: message` without a line; line 0 is a setting given
    /// with `--set` rather than written in the file); control characters in the file name are
    /// escaped (`DisplayText`), the message escapes what it quotes.
    public var description: String {
        if line == 0 { return "\(DisplayText.escaped(file)) (--set): \(DisplayText.controlsEscaped(message))" }
        if let line { return "\(DisplayText.escaped(file)):\(line): \(DisplayText.controlsEscaped(message))" }
        return "\(DisplayText.escaped(file)): \(DisplayText.controlsEscaped(message))"
    }
}

/// Several configuration problems found in one pass (all unknown keys, or every failing section).
public struct ConfigErrorList: Error, Sendable, Hashable, CustomStringConvertible {
    /// In file order where a line is known.
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) { self.errors = errors }

    /// One line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
