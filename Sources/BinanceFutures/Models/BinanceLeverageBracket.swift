import Foundation
import TradingModel

/// One symbol of `GET /fapi/v1/leverageBracket`.
public struct BinanceLeverageBrackets: Sendable, Decodable {
    public var symbol: String
    public var notionalCoef: Double?
    public var brackets: [Tier]

    public struct Tier: Sendable, Decodable {
        public var bracket: Int
        public var initialLeverage: Int
        /// Binance sends these as JSON numbers (not strings); decoded as text so they are parsed exactly.
        public var notionalCap: NumberText
        public var notionalFloor: NumberText
        public var maintMarginRatio: NumberText
        public var cum: NumberText
    }

    /// Parses the response (an array, or a single object when queried with `symbol` on some versions).
    public static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [BinanceLeverageBrackets] {
        if let list: [BinanceLeverageBrackets] = try? BinanceJSON.decode(body, context: "GET /fapi/v1/leverageBracket") {
            return list
        }
        let single: BinanceLeverageBrackets = try BinanceJSON.decode(body, context: "GET /fapi/v1/leverageBracket")
        return [single]
    }

    /// The tiers as `MarginBracket`s, ordered by notional floor.
    public func marginBrackets() throws(BinanceDecodingError) -> [MarginBracket] {
        let context = "leverageBracket.\(symbol)"
        var result: [MarginBracket] = []
        for tier in brackets {
            let prefix = "brackets.\(tier.bracket)"
            result.append(MarginBracket(
                notionalFloor: try Field.decimal(tier.notionalFloor.text, "\(prefix).notionalFloor", context),
                notionalCap: try Field.decimal(tier.notionalCap.text, "\(prefix).notionalCap", context),
                maintenanceMarginRate: try Field.decimal(tier.maintMarginRatio.text, "\(prefix).maintMarginRatio", context),
                maintenanceAmount: try Field.decimal(tier.cum.text, "\(prefix).cum", context),
                maxLeverage: tier.initialLeverage))
        }
        return result.sorted { $0.notionalFloor < $1.notionalFloor }
    }
}

/// A JSON number or string kept as its decimal text, so it can be parsed into fixed point
/// without passing through `Double`.
public struct NumberText: Sendable, Hashable, Decodable {
    public var text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let integer = try? container.decode(Int64.self) {
            self.text = String(integer)
        } else {
            // Foundation's JSON parser exposes non-integers only as Double/Decimal; Decimal's
            // description is the exact decimal text of the literal.
            let decimal = try container.decode(Decimal.self)
            self.text = "\(decimal)"
        }
    }
}
