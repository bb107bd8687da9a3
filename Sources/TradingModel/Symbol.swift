/// A venue symbol such as `ATOMUSDT`. Upper-case letters and digits only.
public struct Symbol: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    /// Creates a symbol; nil unless the text is 1–32 upper-case ASCII letters or digits.
    public init?(_ name: String) {
        guard !name.isEmpty, name.utf8.count <= 32,
              name.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) })
        else { return nil }
        self.name = name
    }

    public init(stringLiteral value: String) {
        guard let symbol = Symbol(value) else { preconditionFailure("invalid symbol literal \(value)") }
        self = symbol
    }

    public var description: String { name }
    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.name < rhs.name }
}
