import TradingEngine
import TradingModel

/// A simulated Binance USDT-M venue: synchronous core for replay speed (the `SimulatedExecutionClient`
/// wraps it in the async `ExecutionClient` port for paper trading and a local venue).
///
/// Market, limit, stop-market and take-profit-market orders, reduce-only and close-position,
/// Binance-like rejections, taker slippage in basis points, optional one-point latency, funding
/// settlements and simulated isolated liquidation at the Binance liquidation price. The venue's
/// own ledger is a `Portfolio`, so margin checks and liquidation use the same formulas as ours.
///
/// Prices arrive as points (`onPrice`): a replay feeds the intrabar path, including exact level
/// crossings. Candle backtests have no separate mark stream, so mark-triggered orders use the path.
public struct SimulatedExchange: Sendable {
    public let settings: SimulatedExchangeSettings
    public let instruments: [Instrument]
    public var ledger: Portfolio
    public var leverage: [Int]
    public var lastPrice: [Price]
    public var openOrders: [SimulatedOrder] = []
    /// Snapshots of every order ever accepted or rejected, by client id (for `order(_:)` queries),
    /// kept when `recordsHistory` (the async client turns it on; replays do not need it).
    public var history: [ClientOrderID: OrderSnapshot] = [:]
    public var recordsHistory = false
    public var pointSequence: Int64 = 0
    /// Set when an order that may act at the current point was accepted; the driver re-processes.
    public var needsReprocess = false
    public var venueSequence: Int64 = 0
    public var now = Timestamp(milliseconds: 0)

    public init(instruments: [Instrument], initialBalance: Money, settings: SimulatedExchangeSettings) {
        self.settings = settings
        self.instruments = instruments
        self.ledger = Portfolio(initialBalance: initialBalance, instruments: instruments)
        self.leverage = Array(repeating: settings.defaultLeverage, count: instruments.count)
        self.lastPrice = Array(repeating: .zero, count: instruments.count)
    }

    /// A new price point of symbol `index`. Liquidation is checked first, then every eligible
    /// order in submission order. Hot path: returns at once when the symbol has no position and
    /// no orders.
    @inlinable
    public mutating func onPrice(symbolIndex index: Int, price: Price, time: Timestamp, into events: inout [ExecutionEvent]) {
        pointSequence += 1
        lastPrice[index] = price
        now = time
        guard ledger.sideSign[index] != 0 || !openOrders.isEmpty else { return }
        process(symbolIndex: index, into: &events)
    }

    /// True when no price inside `[low, high]` can make the venue act for symbol `index`: no
    /// open order, nothing to re-process, and no liquidation price inside the range. O(1).
    @inlinable @inline(__always)
    public func isQuiet(symbolIndex index: Int, low: Price, high: Price) -> Bool {
        guard openOrders.isEmpty, !needsReprocess else { return false }
        let sign = ledger.sideSign[index]
        guard sign != 0 else { return true }
        let liquidation = ledger.liquidationPriceRaw[index]
        guard liquidation > 0 else { return true }
        return sign > 0 ? low.raw > liquidation : high.raw < liquidation
    }

    /// Moves the venue's price to the bar's close without processing (the caller proved the bar
    /// quiet with `isQuiet`).
    @inlinable
    public mutating func skip(symbolIndex index: Int, to price: Price, time: Timestamp) {
        pointSequence += 1
        lastPrice[index] = price
        now = time
    }

    /// Re-runs the current point for orders accepted during it (no-latency market orders).
    public mutating func reprocess(symbolIndex index: Int, into events: inout [ExecutionEvent]) {
        needsReprocess = false
        process(symbolIndex: index, into: &events)
    }

    /// The nearest liquidation, trigger or limit price of symbol `index` strictly between `from`
    /// and `to` in the direction of travel; nil when none (the common case: no allocation).
    @inlinable
    public func nearestLevel(symbolIndex index: Int, from: Price, to: Price) -> Price? {
        var best: Price?
        let rising = to > from
        @inline(__always) func consider(_ level: Price) {
            let inside = rising ? (level > from && level < to) : (level < from && level > to)
            guard inside else { return }
            if let current = best { best = rising ? min(current, level) : max(current, level) } else { best = level }
        }
        let liquidation = ledger.liquidationPriceRaw[index]
        if liquidation > 0 { consider(Price(raw: liquidation)) }
        for position in openOrders.indices where openOrders[position].symbolIndex == index {
            if let trigger = openOrders[position].request.triggerPrice { consider(trigger) }
            if openOrders[position].request.type == .limit, let limit = openOrders[position].request.price { consider(limit) }
        }
        return best
    }

    /// A funding settlement of symbol `index` at `rate`, paid on `markPrice × size`.
    public mutating func settleFunding(symbolIndex index: Int, rate: Rate, markPrice: Price, time: Timestamp, into events: inout [ExecutionEvent]) {
        guard let payment = ledger.applyFunding(symbolIndex: index, rate: rate, markPrice: markPrice) else { return }
        events.append(.fundingPaid(symbol: instruments[index].symbol, amount: payment, rate: rate, time: time))
    }

    public mutating func setLeverage(_ value: Int, symbolIndex index: Int) throws(OrderRejection) {
        guard value >= 1, value <= 125 else { throw OrderRejection(.other, code: -4028, message: "Leverage \(value) is not valid") }
        leverage[index] = value
    }

    /// Cancels an open order; emits `.canceled`, or nothing when it is not open (Binance -2011).
    public mutating func cancel(_ id: ClientOrderID, time: Timestamp, into events: inout [ExecutionEvent]) -> Bool {
        guard let position = openOrders.firstIndex(where: { $0.request.clientOrderID == id }) else { return false }
        let order = openOrders.remove(at: position)
        record(order.request, .canceled, time: time, venueID: order.venueOrderID)
        events.append(.canceled(id, symbol: order.request.symbol, time: time))
        return true
    }

    mutating func record(_ request: OrderRequest, _ status: OrderStatus, time: Timestamp, venueID: String?,
                         filled: Quantity = .zero, averagePrice: Price? = nil) {
        guard recordsHistory else { return }
        history[request.clientOrderID] = OrderSnapshot(request: request, status: status, filledQuantity: filled,
                                                       averagePrice: averagePrice, venueOrderID: venueID, updateTime: time)
    }
}
