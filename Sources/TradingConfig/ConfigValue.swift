import Foundation
import TradingModel

/// A parsed TOML value with the line it was written on.
///
/// Numbers keep their literal text (`0.012`, `1_000`) so that fixed-point settings convert
/// exactly, never through `Double`.
public struct ConfigValue: Sendable, Hashable {
    /// The TOML type and payload.
    public indirect enum Kind: Sendable, Hashable {
        case string(String)
        /// Decimal integer literal as written (may contain `_` separators and a sign).
        case integer(literal: String)
        /// Float literal as written (`0.012`, `1e-5`, `-3.5`).
        case float(literal: String)
        case boolean(Bool)
        case array([ConfigValue])
        case table(ConfigTable)
    }

    public var kind: Kind
    /// 1-based line where the value starts.
    public var line: Int

    public init(kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    /// The TOML type name for error messages (`string`, `integer`, `float`, `boolean`, `array`, `table`).
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }

    /// The value as TOML-like text for error messages (`"abc"`, `0.012`, `[…]`).
    public var displayText: String {
        switch kind {
        case .string(let text): "\"" + Self.escaped(text) + "\""
        case .integer(let literal), .float(let literal): literal
        case .boolean(let value): value ? "true" : "false"
        case .array(let items): "[" + items.map(\.displayText).joined(separator: ", ") + "]"
        case .table: "{…}"
        }
    }

    /// Escapes quotes, backslashes and control characters so an error stays on one line.
    static func escaped(_ text: String) -> String {
        DisplayText.escaped(text).replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// The number's literal without `_` separators, for integer and float values.
    var numberLiteral: String? {
        switch kind {
        case .integer(let literal), .float(let literal): literal.replacingUnderscores()
        default: nil
        }
    }
}

extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
