import Foundation
import TradingModel

/// A venue payload that does not have the shape we expect. Names the payload, the field path
/// and the offending value; never contains credentials.
public struct BinanceDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being parsed, e.g. `GET /fapi/v1/exchangeInfo` or `ORDER_TRADE_UPDATE`.
    public var context: String
    /// Dotted field path, e.g. `symbols.3.filters.0.tickSize`.
    public var field: String
    public var reason: String

    public init(context: String, field: String, reason: String) {
        self.context = context
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(context): field \(field): \(reason)" }
}

/// JSON decoding for Binance payloads. Prices and quantities arrive as strings and are parsed
/// into fixed point; nothing goes through `Double`.
enum BinanceJSON {
    static func decode<T: Decodable>(_ body: [UInt8], context: String) throws(BinanceDecodingError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw BinanceJSON.describe(error, context: context)
        } catch {
            throw BinanceDecodingError(context: context, field: "", reason: "\(error)")
        }
    }

    static func describe(_ error: DecodingError, context: String) -> BinanceDecodingError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let detail):
            return BinanceDecodingError(context: context, field: path(detail.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let detail):
            return BinanceDecodingError(context: context, field: path(detail.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let detail):
            return BinanceDecodingError(context: context, field: path(detail.codingPath), reason: "null where \(type) expected")
        case .dataCorrupted(let detail):
            return BinanceDecodingError(context: context, field: path(detail.codingPath), reason: detail.debugDescription)
        @unknown default:
            return BinanceDecodingError(context: context, field: "", reason: "\(error)")
        }
    }
}

/// Field conversions with errors that name the field.
enum Field {
    /// A required decimal string.
    static func decimal<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T {
        guard let text else { throw BinanceDecodingError(context: context, field: name, reason: "missing") }
        guard let value = T(text) else { throw BinanceDecodingError(context: context, field: name, reason: "not a decimal: \"\(text)\"") }
        return value
    }

    /// An optional decimal string: missing, `null`, `""` and `"None"` are nil.
    static func optionalDecimal<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T? {
        guard let text, !text.isEmpty, text != "None" else { return nil }
        guard let value = T(text) else { throw BinanceDecodingError(context: context, field: name, reason: "not a decimal: \"\(text)\"") }
        return value
    }

    /// A decimal where zero means "not set" (`stopPrice: "0"`, `liquidationPrice: "0"`).
    static func nonZeroDecimal<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T? {
        let value: T? = try optionalDecimal(text, name, context)
        return value?.isZero == true ? nil : value
    }

    static func symbol(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> Symbol {
        guard let text, let symbol = Symbol(text) else {
            throw BinanceDecodingError(context: context, field: name, reason: "not a symbol: \"\(text ?? "null")\"")
        }
        return symbol
    }

    static func clientOrderID(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> ClientOrderID {
        guard let text, let id = ClientOrderID(text) else {
            throw BinanceDecodingError(context: context, field: name, reason: "not a client order id: \"\(text ?? "null")\"")
        }
        return id
    }

    static func orderSide(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> OrderSide {
        guard let text, let side = OrderSide(rawValue: text) else {
            throw BinanceDecodingError(context: context, field: name, reason: "not BUY/SELL: \"\(text ?? "null")\"")
        }
        return side
    }
}

/// An integer that Binance sends either as a JSON number or as a string (`listenKeyExpired.E`).
public struct FlexibleInt64: Decodable, Sendable, Hashable {
    public var value: Int64

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else {
            let text = try container.decode(String.self)
            guard let number = Int64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an integer: \(text)")
            }
            value = number
        }
    }
}

/// A string field that may also arrive as a number (`ai`, `tradeId`); kept as text.
public struct FlexibleString: Decodable, Sendable, Hashable {
    public var value: String

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else {
            value = String(try container.decode(Int64.self))
        }
    }
}
