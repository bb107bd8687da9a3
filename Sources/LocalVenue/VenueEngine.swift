import Backtest
import TradingEngine
import TradingModel

/// The state of the local Binance venue: a `SimulatedExchange` (matching, margin, liquidation)
/// plus the Binance bookkeeping around it (order and algo ids, fills, income, listen keys,
/// account settings). A value type: every REST call is `handle(_:)` → `VenueReply`, every price
/// point is `advance(to:)`; stream messages collect in `userOutbox` / `marketOutbox` for the
/// runtime (`VenueController`) to deliver. No clock is read: `now` only moves by the path.
public struct VenueEngine: Sendable {
    /// Who owns a client id inside the simulated exchange.
    enum Owner: Sendable, Hashable {
        case regular(Int64)
        case algo(Int64)
    }

    public internal(set) var exchange: SimulatedExchange
    public var instruments: [Instrument] { exchange.instruments }
    /// Venue time (ms), moved only by the controller.
    public internal(set) var now: Timestamp
    var orders: [Int64: VenueOrderRecord] = [:]
    var orderIDsByClientID: [String: Int64] = [:]
    var algos: [Int64: VenueAlgoRecord] = [:]
    var algoIDsByClientID: [String: Int64] = [:]
    var owners: [ClientOrderID: Owner] = [:]
    var trades: [VenueTrade] = []
    var income: [VenueIncome] = []
    var marginTypes: [Symbol: String] = [:]
    var dualSidePosition = false
    /// `canTrade` of `GET /fapi/v1/accountConfig` (keys without trading permission: false).
    public var canTrade = true
    var listenKeys: [String: VenueListenKey] = [:]
    var nextOrderID: Int64 = 8_000_000_001
    var nextAlgoID: Int64 = 1_000_000_000_001
    var nextTradeID: Int64 = 700_000_001
    var nextTransactionID: Int64 = 9_000_000_001
    var nextAggregateTradeID: Int64 = 1
    var listenKeySequence = 0
    /// Report the next fills in this many `ORDER_TRADE_UPDATE` parts (fault: partial fills).
    public var partialFillParts = 1
    /// Where each fill's `ACCOUNT_UPDATE` goes among its messages (fault: event order).
    public var userDataOrder = UserDataOrder.accountUpdateLast
    /// User-data messages (JSON text) waiting for delivery to every user stream.
    public internal(set) var userOutbox: [String] = []
    /// Market messages: stream name and the combined-stream JSON text.
    public internal(set) var marketOutbox: [(stream: String, text: String)] = []
    /// How each symbol is listed (published filters, status, contract type).
    public internal(set) var listings: [Symbol: VenueListing] = [:]
    /// The limits published in `exchangeInfo.rateLimits` (enforced by `VenueController`).
    public internal(set) var rateLimits = VenueRateLimits.binance
    /// Closed 1 m klines per symbol, oldest first, served on `GET /fapi/v1/klines`.
    public internal(set) var klineHistory: [Symbol: [Candle]] = [:]

    public init(instruments: [Instrument], initialBalance: Money, settings: SimulatedExchangeSettings, start: Timestamp) {
        var exchange = SimulatedExchange(instruments: instruments, initialBalance: initialBalance, settings: settings)
        exchange.recordsHistory = true
        self.exchange = exchange
        self.now = start
        for instrument in instruments {
            marginTypes[instrument.symbol] = "CROSSED"
            listings[instrument.symbol] = VenueListing(instrument: instrument)
        }
    }

    /// Default settings of the venue: Binance standard fees, no slippage, fills at the point an
    /// order is accepted at, precision enforced, leverage 20.
    public static let defaultSettings = SimulatedExchangeSettings(
        fees: .binanceStandard, slippageBasisPoints: 0, latency: .none, enforcePrecision: true, defaultLeverage: 20)

    func index(of symbol: Symbol) -> Int? { exchange.instruments.firstIndex { $0.symbol == symbol } }

    func symbolIndex(_ request: VenueRequest) throws(VenueError) -> (Symbol, Int) {
        guard let text = request["symbol"] else { throw .missing("symbol") }
        guard let symbol = Symbol(text), let index = index(of: symbol) else { throw .badSymbol }
        return (symbol, index)
    }

    /// Moves venue time forward (never back) without a price change.
    public mutating func advanceTime(to time: Timestamp) {
        if time > now { now = time }
        expireListenKeys()
    }

    /// Applies one price point: time, matching (fills, triggers, liquidation), market messages.
    public mutating func apply(_ point: VenuePricePoint) {
        advanceTime(to: point.time)
        guard let index = index(of: point.symbol) else { return }
        let before = exchange.ledger.slots
        var events: [ExecutionEvent] = []
        exchange.onPrice(symbolIndex: index, price: point.price, time: now, into: &events)
        if exchange.needsReprocess { exchange.reprocess(symbolIndex: index, into: &events) }
        record(events, positionsBefore: before)
        publishMarket(point, instrument: exchange.instruments[index])
        if let candle = point.closedCandle { recordClosedKline(candle, symbol: point.symbol) }
    }

    /// Current price of symbol `index` (zero before its first point).
    func lastPrice(_ index: Int) -> Price { exchange.lastPrice[index] }

    // MARK: Listen keys

    mutating func expireListenKeys() {
        for (key, record) in listenKeys where record.expiresAt <= now {
            listenKeys[key] = nil
            userOutbox.append(VenueJSON.object([
                ("e", .string("listenKeyExpired")), ("E", .time(now)), ("listenKey", .string(key)),
            ]).text)
        }
    }

    /// Expires every listen key now (fault): a `listenKeyExpired` event, then the key is unknown (-1125).
    public mutating func expireAllListenKeys() {
        for key in listenKeys.keys { listenKeys[key]?.expiresAt = now }
        expireListenKeys()
    }

    public func isListenKeyActive(_ key: String) -> Bool { listenKeys[key].map { $0.expiresAt > now } ?? false }

    mutating func listenKey(_ request: VenueRequest) -> VenueReply {
        let apiKey = request.apiKey ?? ""
        let existing = listenKeys.values.first { $0.apiKey == apiKey }
        switch request.method {
        case "POST":
            if let existing {
                listenKeys[existing.key]?.expiresAt = now.advanced(by: .seconds(3600))
                return VenueReply(body: .object([("listenKey", .string(existing.key))]))
            }
            listenKeySequence += 1
            let suffix = String(listenKeySequence)
            let key = "venueListenKey" + String(repeating: "0", count: max(0, 50 - suffix.count)) + suffix
            listenKeys[key] = VenueListenKey(key: key, apiKey: apiKey, expiresAt: now.advanced(by: .seconds(3600)))
            return VenueReply(body: .object([("listenKey", .string(key))]))
        case "PUT":
            guard let existing else { return .error(.invalidListenKey) }
            listenKeys[existing.key]?.expiresAt = now.advanced(by: .seconds(3600))
            return VenueReply(body: .object([("listenKey", .string(existing.key))]))
        default:
            if let existing { listenKeys[existing.key] = nil }
            return VenueReply(body: .object([]))
        }
    }
}
