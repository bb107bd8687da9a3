import TradingModel

/// A JSON value written in key order, the way Binance payloads look. Numbers the venue sends
/// as strings (prices, quantities) are `.string`; `.number` holds literal number text.
public indirect enum VenueJSON: Sendable, Hashable {
    case object([(String, VenueJSON)])
    case array([VenueJSON])
    case string(String)
    case integer(Int64)
    /// A literal JSON number, written as is (e.g. `0.004` in `leverageBracket`).
    case number(String)
    case bool(Bool)
    case null

    /// Compact JSON text.
    public var text: String {
        var output = ""
        write(into: &output)
        return output
    }

    func write(into output: inout String) {
        switch self {
        case .object(let members):
            output += "{"
            for (offset, member) in members.enumerated() {
                if offset > 0 { output += "," }
                VenueJSON.writeString(member.0, into: &output)
                output += ":"
                member.1.write(into: &output)
            }
            output += "}"
        case .array(let items):
            output += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { output += "," }
                item.write(into: &output)
            }
            output += "]"
        case .string(let value): VenueJSON.writeString(value, into: &output)
        case .integer(let value): output += String(value)
        case .number(let value): output += value
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        }
    }

    static func writeString(_ value: String, into output: inout String) { JSONText.appendString(value, to: &output) }

    public static func == (lhs: VenueJSON, rhs: VenueJSON) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

extension VenueJSON {
    /// A fixed-point value as Binance writes it: a decimal string with `decimals` digits.
    static func decimal<T: FixedPointValue>(_ value: T, _ decimals: Int) -> VenueJSON {
        .string(value.formatted(decimals: decimals))
    }

    static func time(_ timestamp: Timestamp) -> VenueJSON { .integer(timestamp.milliseconds) }
}

extension VenueJSON {
    /// A fixed-point value as a plain decimal string (no exponent, no trailing zeros).
    static func value<T: FixedPointValue>(_ value: T) -> VenueJSON { .string(FixedPoint.format(value.raw)) }
}
