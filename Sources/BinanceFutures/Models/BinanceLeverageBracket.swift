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

    /// The tiers as `MarginBracket`s, ordered by notional floor. At least one tier; each with a
    /// leverage in 1…`VenueValueLimits.maximumLeverage`, a floor ≥ 0 below its cap, a
    /// maintenance rate in [0, 1) and a maintenance amount ≥ 0.
    public func marginBrackets() throws(BinanceDecodingError) -> [MarginBracket] {
        let context = "leverageBracket.\(symbol)"
        guard !brackets.isEmpty else { throw BinanceDecodingError(context: context, field: "brackets", reason: "no margin tiers") }
        var result: [MarginBracket] = []
        for tier in brackets {
            let prefix = "brackets.\(tier.bracket)"
            let floor: Money = try Field.threshold(tier.notionalFloor.text, "\(prefix).notionalFloor", context)
            let cap: Money = try Field.threshold(tier.notionalCap.text, "\(prefix).notionalCap", context)
            let rate: Rate = try Field.decimal(tier.maintMarginRatio.text, "\(prefix).maintMarginRatio", context)
            let amount: Money = try Field.decimal(tier.cum.text, "\(prefix).cum", context)
            guard !floor.isNegative, cap > floor else {
                throw BinanceDecodingError(context: context, field: "\(prefix).notionalCap", reason: "tier [\(floor), \(cap)] is empty or negative")
            }
            guard !rate.isNegative, rate < Rate(units: 1) else {
                throw BinanceDecodingError(context: context, field: "\(prefix).maintMarginRatio", reason: "\(rate) is outside [0, 1)")
            }
            guard !amount.isNegative else { throw BinanceDecodingError(context: context, field: "\(prefix).cum", reason: "\(amount) is negative") }
            result.append(MarginBracket(notionalFloor: floor, notionalCap: cap, maintenanceMarginRate: rate, maintenanceAmount: amount,
                                        maxLeverage: try Field.leverage(tier.initialLeverage, "\(prefix).initialLeverage", context)))
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
