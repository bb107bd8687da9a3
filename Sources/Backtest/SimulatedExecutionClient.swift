import Synchronization
import TradingEngine
import TradingModel

/// The `SimulatedExchange` behind the async `ExecutionClient` port, for paper trading and a local
/// venue: live market data drives it (`follow`, `onPrice`), the engine sends orders through the port, and venue
/// reports arrive on `executionEvents()` exactly as the Binance adapter delivers them.
///
/// A thin lock-protected box: every call runs the synchronous core under the lock and yields the
/// events it produced. Time comes from the injected clock.
public final class SimulatedExecutionClient: ExecutionClient, @unchecked Sendable {
    // @unchecked: all mutable state (`exchange`, `continuations`) is guarded by `lock`.
    private let lock = Mutex(())
    private var exchange: SimulatedExchange
    private var continuations: [AsyncStream<ExecutionEvent>.Continuation] = []
    private var observers: [@Sendable ([ExecutionEvent]) -> Void] = []
    private let clock: any TradingClock

    public init(exchange: SimulatedExchange, clock: any TradingClock) {
        var exchange = exchange
        exchange.recordsHistory = true
        self.exchange = exchange
        self.clock = clock
    }

    /// Follows one market event (paper trading on a venue's streams): a price of the session's
    /// `priceSource` (mark price or trade) moves the exchange (fills, triggers, liquidation), a
    /// funding event with a mark price is settled; candles and other prices change nothing.
    public func follow(_ event: MarketEvent, priceSource: PriceEvent.Source) {
        switch event {
        case .markPrice(let mark) where priceSource == .markPrice:
            onPrice(mark.price, symbol: mark.symbol)
        case .trade(let trade) where priceSource == .lastTrade:
            onPrice(trade.price, symbol: trade.symbol)
        case .funding(let symbol, let funding):
            if let mark = funding.markPrice { settleFunding(symbol: symbol, rate: funding.rate, markPrice: mark) }
        default:
            break
        }
    }

    /// A market price of `symbol` (from the live feed): fills and triggers happen here.
    public func onPrice(_ price: Price, symbol: Symbol) {
        publish(lock.withLock { _ -> [ExecutionEvent] in
            var events: [ExecutionEvent] = []
            guard let index = exchange.instruments.firstIndex(where: { $0.symbol == symbol }) else { return events }
            exchange.onPrice(symbolIndex: index, price: price, time: clock.now, into: &events)
            return events
        })
    }

    /// A funding settlement of `symbol`.
    public func settleFunding(symbol: Symbol, rate: Rate, markPrice: Price) {
        publish(lock.withLock { _ -> [ExecutionEvent] in
            var events: [ExecutionEvent] = []
            guard let index = exchange.instruments.firstIndex(where: { $0.symbol == symbol }) else { return events }
            exchange.settleFunding(symbolIndex: index, rate: rate, markPrice: markPrice, time: clock.now, into: &events)
            return events
        })
    }

    public func submit(_ order: OrderRequest) async throws(ExecutionError) -> OrderSnapshot {
        let (events, snapshot) = lock.withLock { _ -> ([ExecutionEvent], OrderSnapshot?) in
            var events: [ExecutionEvent] = []
            guard let index = exchange.instruments.firstIndex(where: { $0.symbol == order.symbol }) else { return (events, nil) }
            exchange.submit(order, symbolIndex: index, time: clock.now, into: &events)
            if exchange.needsReprocess { exchange.reprocess(symbolIndex: index, into: &events) }
            return (events, exchange.history[order.clientOrderID])
        }
        publish(events)
        for event in events {
            if case .rejected(let id, _, let rejection, _) = event, id == order.clientOrderID {
                throw ExecutionError(.rejected(rejection), code: rejection.code, message: rejection.message)
            }
        }
        guard let snapshot else { throw ExecutionError(.rejected(OrderRejection(.other, code: -1121, message: "Invalid symbol")), code: -1121, message: "Invalid symbol") }
        return snapshot
    }

    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) {
        let (events, found) = lock.withLock { _ -> ([ExecutionEvent], Bool) in
            var events: [ExecutionEvent] = []
            let found = exchange.cancel(id, time: clock.now, into: &events)
            return (events, found)
        }
        publish(events)
        if !found {
            throw ExecutionError(.rejected(OrderRejection(.other, code: -2011, message: "Unknown order sent.")), code: -2011, message: "Unknown order sent.")
        }
    }

    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> OrderSnapshot {
        guard let snapshot = lock.withLock({ _ in exchange.history[id] }) else {
            throw ExecutionError(.rejected(OrderRejection(.other, code: -2013, message: "Order does not exist.")), code: -2013, message: "Order does not exist.")
        }
        return snapshot
    }

    public func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [OrderSnapshot] {
        lock.withLock { _ in
            exchange.openOrders.filter { symbol == nil || $0.request.symbol == symbol }.compactMap { exchange.history[$0.request.clientOrderID] }
        }
    }

    public func positions() async throws(ExecutionError) -> [PositionSnapshot] {
        lock.withLock { _ in
            exchange.ledger.slots.compactMap { slot in
                slot.map {
                    PositionSnapshot(symbol: $0.symbol, signedQuantity: Quantity(raw: $0.quantity.raw * $0.side.sign), entryPrice: $0.entryPrice,
                                     leverage: $0.leverage, isolatedMargin: $0.isolatedMargin,
                                     liquidationPrice: $0.liquidationPrice.isPositive ? $0.liquidationPrice : nil)
                }
            }
        }
    }

    public func setLeverage(_ leverage: Int, symbol: Symbol) async throws(ExecutionError) {
        let result: OrderRejection? = lock.withLock { _ in
            guard let index = exchange.instruments.firstIndex(where: { $0.symbol == symbol }) else {
                return OrderRejection(.other, code: -1121, message: "Invalid symbol")
            }
            do throws(OrderRejection) { try exchange.setLeverage(leverage, symbolIndex: index) } catch { return error }
            return nil
        }
        if let result { throw ExecutionError(.rejected(result), code: result.code, message: result.message) }
    }

    public func executionEvents() -> AsyncStream<ExecutionEvent> {
        let (stream, continuation) = AsyncStream<ExecutionEvent>.makeStream()
        lock.withLock { _ in continuations.append(continuation) }
        return stream
    }

    /// Registers a synchronous observer: it receives every batch of events before the call that
    /// produced them returns (a deterministic paper runtime queues them ahead of the next market
    /// event). Streams from `executionEvents()` receive the same events.
    public func observe(_ observer: @escaping @Sendable ([ExecutionEvent]) -> Void) {
        lock.withLock { _ in observers.append(observer) }
    }

    private func publish(_ events: [ExecutionEvent]) {
        guard !events.isEmpty else { return }
        let (targets, sinks) = lock.withLock { _ in (continuations, observers) }
        for sink in sinks { sink(events) }
        for event in events { for continuation in targets { continuation.yield(event) } }
    }
}
