/// Why a venue (real or simulated) refused an order. Codes follow Binance's where one exists.
public struct OrderRejection: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, Codable {
        /// `-4164`: notional below the symbol's minimum.
        case minNotional
        /// `-1111`/`-4014`/`-4023`: price or quantity off the tick/step grid or out of range.
        case precision
        /// `-2022`: a reduce-only order would increase or flip the position, or there is none.
        case reduceOnlyRejected
        /// `-2019`: margin is insufficient.
        case insufficientMargin
        /// `-2021`: a conditional order's trigger is already crossed.
        case wouldImmediatelyTrigger
        /// `-4116`: client order id already in use.
        case duplicateClientOrderID
        /// Any other refusal; the message says which.
        case other
    }

    public var reason: Reason
    /// Venue error code when there is one (`-2022`).
    public var code: Int?
    public var message: String

    public init(_ reason: Reason, code: Int? = nil, message: String) {
        self.reason = reason
        self.code = code
        self.message = message
    }

    public var description: String { code.map { "\(reason.rawValue) (\($0)): \(message)" } ?? "\(reason.rawValue): \(message)" }
}
