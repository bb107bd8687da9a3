import Foundation

/// What one unit produced: the raw JSON line of `qt backtest --json`, or why it failed.
public struct SweepUnitResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// The unit's JSON line exactly as `qt` printed it.
        case succeeded(json: String)
        case failed(reason: String)
    }

    public var unit: SweepUnit
    public var outcome: Outcome

    public init(unit: SweepUnit, outcome: Outcome) {
        self.unit = unit
        self.outcome = outcome
    }

    /// The result line recorded for the unit (`results.jsonl`, the store, the terminal):
    /// `{"unit":"u001","dataset":"LINKUSDT","params":{"strategy.fast_period":5,…},"result":{…}}`
    /// (or `"error":"…"`). Built the same way whichever engine ran the unit, from `qt`'s own
    /// bytes, so equal runs give equal lines.
    public var line: String {
        let parameters = unit.parameters.map { "\(Self.quoted($0.key)):\(Self.jsonLiteral($0.literal))" }
        var text = "{\"unit\":\(Self.quoted(unit.id)),\"dataset\":\(Self.quoted(unit.dataset)),\"params\":{\(parameters.joined(separator: ","))},"
        switch outcome {
        case .succeeded(let json): text += "\"result\":\(json)}"
        case .failed(let reason): text += "\"error\":\(Self.quoted(reason))}"
        }
        return text
    }

    public var succeeded: Bool { if case .succeeded = outcome { true } else { false } }

    /// A numeric field of the result (`net_pnl`), nil when failed, absent or null.
    public func number(_ field: String) -> Double? {
        guard case .succeeded(let json) = outcome,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let value = object[field] as? NSNumber
        else { return nil }
        return value.doubleValue
    }

    /// Checks that `line` is one JSON object (what a unit must print last on stdout).
    static func validJSONObject(_ line: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]
    }

    /// A TOML literal as JSON: strings as they are (same escapes), numbers without `_` or `+`.
    static func jsonLiteral(_ literal: String) -> String {
        if literal.hasPrefix("\"") || literal == "true" || literal == "false" { return literal }
        var number = literal.replacingOccurrences(of: "_", with: "")
        if number.hasPrefix("+") { number.removeFirst() }
        return number
    }

    /// The same escaping as `TradingModel.JSONText.string`, kept here because Research depends on
    /// no trading module (a unit is a process).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
