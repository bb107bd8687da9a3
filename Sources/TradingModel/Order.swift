/// A client order id: deterministic per intent, within Binance's rule `^[.A-Z:/a-z0-9_-]{1,36}$`.
public struct ClientOrderID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: String

    public init?(_ value: String) {
        guard !value.isEmpty, value.utf8.count <= 36, value.utf8.allSatisfy(ClientOrderID.allowed) else { return nil }
        self.value = value
    }

    /// An id whose text the caller built only from allowed bytes and checked to be 1–36 bytes
    /// long (`ClientOrderIDGenerator`, on the per-order path); debug builds re-check it.
    @inlinable
    package init(prevalidated value: String) {
        assert(ClientOrderID(value) != nil, "invalid prevalidated client order id \(value)")
        self.value = value
    }

    @inlinable
    package static func allowed(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            || byte == 46 || byte == 58 || byte == 47 || byte == 95 || byte == 45
    }

    public var description: String { value }
    public static func < (lhs: ClientOrderID, rhs: ClientOrderID) -> Bool { lhs.value < rhs.value }
}

/// Order types the engine uses. Conditional types rest as Binance algo orders.
public enum OrderType: String, Sendable, Hashable, Codable {
    case market = "MARKET"
    case limit = "LIMIT"
    case stopMarket = "STOP_MARKET"
    case takeProfitMarket = "TAKE_PROFIT_MARKET"

    /// True for types that wait for a trigger price.
    public var isConditional: Bool { self == .stopMarket || self == .takeProfitMarket }
}

/// Which price a conditional order's trigger watches (Binance `workingType`).
public enum TriggerPriceSource: String, Sendable, Hashable, Codable {
    case markPrice = "MARK_PRICE"
    case lastPrice = "CONTRACT_PRICE"
}

public enum TimeInForce: String, Sendable, Hashable, Codable {
    case goodTillCancel = "GTC"
    case immediateOrCancel = "IOC"
    case fillOrKill = "FOK"
    case postOnly = "GTX"
}

/// An order as the engine asks for it (a command). Quantities and prices are already on the
/// instrument's grid; the execution client rejects them otherwise.
public struct OrderRequest: Sendable, Hashable {
    public var clientOrderID: ClientOrderID
    public var symbol: Symbol
    public var side: OrderSide
    public var type: OrderType
    /// Nil only for a close-position conditional order.
    public var quantity: Quantity?
    /// Limit price (limit orders only).
    public var price: Price?
    /// Trigger price (conditional orders only).
    public var triggerPrice: Price?
    public var triggerSource: TriggerPriceSource
    public var timeInForce: TimeInForce
    /// The order may only reduce the position.
    public var reduceOnly: Bool
    /// A conditional order that closes the whole position when triggered.
    public var closePosition: Bool

    public init(clientOrderID: ClientOrderID, symbol: Symbol, side: OrderSide, type: OrderType,
                quantity: Quantity?, price: Price? = nil, triggerPrice: Price? = nil,
                triggerSource: TriggerPriceSource = .markPrice, timeInForce: TimeInForce = .goodTillCancel,
                reduceOnly: Bool = false, closePosition: Bool = false) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.triggerPrice = triggerPrice
        self.triggerSource = triggerSource
        self.timeInForce = timeInForce
        self.reduceOnly = reduceOnly
        self.closePosition = closePosition
    }
}

/// Lifecycle of an order at the venue.
public enum OrderStatus: String, Sendable, Hashable, Codable {
    case new = "NEW"
    case partiallyFilled = "PARTIALLY_FILLED"
    case filled = "FILLED"
    case canceled = "CANCELED"
    case rejected = "REJECTED"
    case expired = "EXPIRED"

    public var isTerminal: Bool { self == .filled || self == .canceled || self == .rejected || self == .expired }
}

/// Whether a fill added or took liquidity (decides the fee rate).
public enum Liquidity: String, Sendable, Hashable, Codable {
    case maker = "MAKER"
    case taker = "TAKER"
}

/// An execution of (part of) an order.
public struct Fill: Sendable, Hashable {
    public var clientOrderID: ClientOrderID
    public var symbol: Symbol
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    /// Commission paid, in the margin asset (positive = paid).
    public var fee: Money
    public var liquidity: Liquidity
    /// Venue trade time.
    public var time: Timestamp
    /// The venue's id of this execution (Binance `t` / `userTrades.id`), when it has one: a fill
    /// reported twice (a duplicated message, or once on the stream and once from the trade
    /// history after a gap) is booked once. Nil for simulated fills.
    public var venueTradeID: Int64?

    public init(clientOrderID: ClientOrderID, symbol: Symbol, side: OrderSide, price: Price, quantity: Quantity,
                fee: Money, liquidity: Liquidity, time: Timestamp, venueTradeID: Int64? = nil) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.liquidity = liquidity
        self.time = time
        self.venueTradeID = venueTradeID
    }
}
