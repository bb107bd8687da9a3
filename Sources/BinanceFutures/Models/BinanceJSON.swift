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

/// Field conversions with errors that name the field. Every value is checked against
/// `VenueValueLimits` (and its own sign rule) here, where it enters.
enum Field {
    /// A required decimal string within the value limits of its type.
    static func decimal<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T {
        guard let text else { throw BinanceDecodingError(context: context, field: name, reason: "missing") }
        guard let value = T(text) else { throw BinanceDecodingError(context: context, field: name, reason: "not a decimal: \"\(text)\"") }
        return try bounded(value, name, context)
    }

    /// An optional decimal string: missing, `null`, `""` and `"None"` are nil.
    static func optionalDecimal<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T? {
        guard let text, !text.isEmpty, text != "None" else { return nil }
        return try decimal(text, name, context) as T
    }

    /// A decimal where zero means "not set" (`stopPrice: "0"`, `liquidationPrice: "0"`).
    static func nonZeroDecimal<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T? {
        let value: T? = try optionalDecimal(text, name, context)
        return value?.isZero == true ? nil : value
    }

    /// A required price: positive, at most `VenueValueLimits.maximumPrice`.
    static func price(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> Price {
        let value: Price = try decimal(text, name, context)
        guard value.isPositive else { throw BinanceDecodingError(context: context, field: name, reason: "price \(value) is not positive") }
        return value
    }

    /// An optional price where zero or absence means "not set"; negative is refused.
    static func optionalPrice(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> Price? {
        guard let value: Price = try nonZeroDecimal(text, name, context) else { return nil }
        guard value.isPositive else { throw BinanceDecodingError(context: context, field: name, reason: "price \(value) is negative") }
        return value
    }

    /// A required decimal that is only compared against, never multiplied (a margin tier's
    /// notional cap): representable and not negative is enough.
    static func threshold<T: FixedPointValue>(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> T {
        guard let text else { throw BinanceDecodingError(context: context, field: name, reason: "missing") }
        guard let value = T(text), !value.isNegative else {
            throw BinanceDecodingError(context: context, field: name, reason: "not a non-negative decimal: \"\(text)\"")
        }
        return value
    }

    /// A required quantity that may be zero but not negative.
    static func quantity(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> Quantity {
        let value: Quantity = try decimal(text, name, context)
        guard !value.isNegative else { throw BinanceDecodingError(context: context, field: name, reason: "quantity \(value) is negative") }
        return value
    }

    /// An optional quantity (absent → nil); negative is refused.
    static func optionalQuantity(_ text: String?, _ name: String, _ context: String) throws(BinanceDecodingError) -> Quantity? {
        guard let value: Quantity = try optionalDecimal(text, name, context) else { return nil }
        guard !value.isNegative else { throw BinanceDecodingError(context: context, field: name, reason: "quantity \(value) is negative") }
        return value
    }

    /// A price × quantity pair of one message whose notional is within `maximumNotional`.
    static func checkNotional(_ price: Price, _ quantity: Quantity, _ name: String, _ context: String) throws(BinanceDecodingError) {
        guard VenueValueLimits.notionalFits(price, quantity) else {
            throw BinanceDecodingError(context: context, field: name, reason: "price \(price) × quantity \(quantity) exceeds \(VenueValueLimits.maximumNotional)")
        }
    }

    /// A venue time in milliseconds within 1970…2200.
    static func time(_ milliseconds: Int64, _ name: String, _ context: String) throws(BinanceDecodingError) -> Timestamp {
        let time = Timestamp(milliseconds: milliseconds)
        guard time >= VenueValueLimits.earliestTime, time <= VenueValueLimits.latestTime else {
            throw BinanceDecodingError(context: context, field: name, reason: "time \(milliseconds) ms is outside 1970…2200")
        }
        return time
    }

    /// An optional time where absence or zero means "not set".
    static func optionalTime(_ milliseconds: Int64?, _ name: String, _ context: String) throws(BinanceDecodingError) -> Timestamp? {
        guard let milliseconds, milliseconds != 0 else { return nil }
        return try time(milliseconds, name, context)
    }

    /// A leverage within 1…`maximumLeverage`.
    static func leverage(_ value: Int, _ name: String, _ context: String) throws(BinanceDecodingError) -> Int {
        guard value >= 1, value <= VenueValueLimits.maximumLeverage else {
            throw BinanceDecodingError(context: context, field: name, reason: "leverage \(value) is outside 1…\(VenueValueLimits.maximumLeverage)")
        }
        return value
    }

    /// A count that must not be negative (trades in a kline, …).
    static func count(_ value: Int64, _ name: String, _ context: String) throws(BinanceDecodingError) -> Int64 {
        guard value >= 0 else { throw BinanceDecodingError(context: context, field: name, reason: "count \(value) is negative") }
        return value
    }

    /// The magnitude bound of `value`'s type.
    static func bounded<T: FixedPointValue>(_ value: T, _ name: String, _ context: String) throws(BinanceDecodingError) -> T {
        let limit: Int64 = switch value {
        case is Price: VenueValueLimits.maximumPrice.raw
        case is Quantity: VenueValueLimits.maximumQuantity.raw
        case is Rate: VenueValueLimits.maximumRate.raw
        default: VenueValueLimits.maximumMoney.raw
        }
        guard value.raw.magnitude <= UInt64(limit) else {
            throw BinanceDecodingError(context: context, field: name, reason: "\(value) is beyond any plausible value (limit \(T(raw: limit)))")
        }
        return value
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
