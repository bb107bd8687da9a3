import TradingModel

/// What the venue reports about an order or a position: the events the engine consumes.
/// The Binance adapter parses user-data streams into these; the `SimulatedExchange` emits them.
public enum ExecutionEvent: Sendable, Hashable {
    /// The venue accepted the order (it rests, or is about to fill).
    case accepted(ClientOrderID, symbol: Symbol, venueOrderID: String?, time: Timestamp)
    /// The venue refused it.
    case rejected(ClientOrderID, symbol: Symbol, OrderRejection, time: Timestamp)
    /// (Part of) the order executed.
    case filled(Fill)
    /// The order left the book without (further) fills: cancelled, expired.
    case canceled(ClientOrderID, symbol: Symbol, time: Timestamp)
    /// A conditional order's trigger fired; its market order follows as fills.
    case triggered(ClientOrderID, symbol: Symbol, time: Timestamp)
    /// The venue's view of a position changed for a reason that is not one of our fills
    /// (manual close on the exchange, liquidation, ADL). `quantity` is signed: short < 0.
    case positionChanged(symbol: Symbol, signedQuantity: Quantity, time: Timestamp)
    /// The venue liquidated the position at `price`.
    case liquidated(symbol: Symbol, price: Price, quantity: Quantity, time: Timestamp)
    /// A funding settlement for the position: positive `amount` is paid by us.
    case fundingPaid(symbol: Symbol, amount: Money, rate: Rate, time: Timestamp)

    public var symbol: Symbol {
        switch self {
        case .accepted(_, let symbol, _, _), .rejected(_, let symbol, _, _), .canceled(_, let symbol, _),
             .triggered(_, let symbol, _), .positionChanged(let symbol, _, _), .liquidated(let symbol, _, _, _),
             .fundingPaid(let symbol, _, _, _):
            symbol
        case .filled(let fill):
            fill.symbol
        }
    }
}

/// How an execution error must be handled; adapters classify every venue error into one of these.
public enum ExecutionErrorKind: Sendable, Hashable {
    /// Bad key, bad permissions, wrong account mode: stop and tell a person.
    case configuration
    /// Network hiccup or venue overload where the request was not executed: retry with back-off.
    case transient
    /// Rate limit: wait at least this long before sending again.
    case rateLimited(retryAfter: Duration?)
    /// The venue refused the order (final for this request).
    case rejected(OrderRejection)
    /// The outcome is unknown (timeout, 5xx, `-1007`): query by client id before anything is resent.
    case unknownStatus
}

/// An execution failure with its handling class, venue code and message (secrets never included).
public struct ExecutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: ExecutionErrorKind
    public var code: Int?
    public var message: String

    public init(_ kind: ExecutionErrorKind, code: Int? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { code.map { "[\($0)] \(message)" } ?? message }
}

/// The venue's view of an order, for reconciliation and unknown-status resolution.
public struct OrderSnapshot: Sendable, Hashable {
    public var request: OrderRequest
    public var status: OrderStatus
    public var filledQuantity: Quantity
    public var averagePrice: Price?
    public var venueOrderID: String?
    public var updateTime: Timestamp

    public init(request: OrderRequest, status: OrderStatus, filledQuantity: Quantity, averagePrice: Price?, venueOrderID: String?, updateTime: Timestamp) {
        self.request = request
        self.status = status
        self.filledQuantity = filledQuantity
        self.averagePrice = averagePrice
        self.venueOrderID = venueOrderID
        self.updateTime = updateTime
    }
}

/// The venue's view of a position. `signedQuantity` is negative for a short.
public struct PositionSnapshot: Sendable, Hashable {
    public var symbol: Symbol
    public var signedQuantity: Quantity
    public var entryPrice: Price
    public var leverage: Int
    /// Isolated margin including unrealised PnL (zero in cross margin on Binance).
    public var isolatedMargin: Money
    public var liquidationPrice: Price?
    /// Unrealised PnL at the venue's mark price.
    public var unrealizedPnL: Money
    /// Maintenance margin the venue requires for it (nil: not reported).
    public var maintenanceMargin: Money?

    public init(symbol: Symbol, signedQuantity: Quantity, entryPrice: Price, leverage: Int, isolatedMargin: Money, liquidationPrice: Price?,
                unrealizedPnL: Money = .zero, maintenanceMargin: Money? = nil) {
        self.symbol = symbol
        self.signedQuantity = signedQuantity
        self.entryPrice = entryPrice
        self.leverage = leverage
        self.isolatedMargin = isolatedMargin
        self.liquidationPrice = liquidationPrice
        self.unrealizedPnL = unrealizedPnL
        self.maintenanceMargin = maintenanceMargin
    }
}

/// Port: a venue's order API. Implemented by the Binance adapter, by the `SimulatedExchange`
/// (paper trading and the local venue) and by test doubles. Never branch on "paper" inside an
/// implementation: paper trading is live market data plus a simulated execution client.
public protocol ExecutionClient: Sendable {
    /// Sends an order. Errors carry their handling class; `.unknownStatus` must be resolved
    /// with `order(_:symbol:)` before anything is resent.
    func submit(_ order: OrderRequest) async throws(ExecutionError) -> OrderSnapshot
    func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError)
    func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> OrderSnapshot
    func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [OrderSnapshot]
    func positions() async throws(ExecutionError) -> [PositionSnapshot]
    func setLeverage(_ leverage: Int, symbol: Symbol) async throws(ExecutionError)
    /// Order, fill and position events as the venue reports them.
    func executionEvents() -> AsyncStream<ExecutionEvent>
    /// The venue's executions of `symbol` since `start` (its trade history), oldest first, with
    /// our client ids where known: what reconciliation books when reports were lost.
    func fills(symbol: Symbol, since start: Timestamp) async throws(ExecutionError) -> [VenueFill]
    /// The account's wallet balance in the margin asset (nil: the venue does not say).
    func walletBalance() async throws(ExecutionError) -> Money?
    /// Switches `symbol` to isolated margin ("no need to change" is success).
    func setIsolatedMargin(symbol: Symbol) async throws(ExecutionError)
}

extension ExecutionClient {
    /// Venues without a trade history (simulated, test doubles): nothing can be recovered.
    public func fills(symbol: Symbol, since start: Timestamp) async throws(ExecutionError) -> [VenueFill] {
        throw ExecutionError(.configuration, message: "this execution client has no trade history")
    }

    public func walletBalance() async throws(ExecutionError) -> Money? { nil }

    /// Venues with isolated margin only (the simulated exchange): nothing to switch.
    public func setIsolatedMargin(symbol: Symbol) async throws(ExecutionError) {}
}
