import Synchronization
import Alerts
import TradingEngine
import TradingModel

/// Feeds the alert center from the live runtime's loop: after every input it turns the
/// runtime's state into a `MonitorSnapshot` (with the latest price of each symbol from the
/// inputs themselves, on the price source the exit owners use) and hands it to the rules. It
/// never waits: the rules take a lock for a few comparisons, and delivery happens elsewhere.
public final class AlertObserver: RuntimeObserver, @unchecked Sendable {
    // @unchecked: `prices` and `lastMarket` are accessed under `lock` only.
    private let lock = Mutex(())
    let center: AlertCenter
    let dispatcher: AlertDispatcher?
    let priceSource: PriceEvent.Source
    let clock: any TradingClock
    private var prices: [Symbol: (price: Price, time: Timestamp)] = [:]
    private var lastMarket: [Symbol: Timestamp] = [:]

    /// - Parameter priceSource: `.markPrice` or `.lastTrade`, as `[exit] price_source`.
    public init(center: AlertCenter, dispatcher: AlertDispatcher?, priceSource: PriceEvent.Source, clock: any TradingClock) {
        self.center = center
        self.dispatcher = dispatcher
        self.priceSource = priceSource
        self.clock = clock
    }

    public func handled(_ input: RuntimeInput, state: RuntimeState) async -> Bool {
        observe(input, state: state)
        return true
    }

    /// The synchronous part of `handled` (also used by sessions whose observer is a closure).
    public func observe(_ input: RuntimeInput, state: RuntimeState) {
        let snapshot: MonitorSnapshot = lock.withLock { _ in
            if case .market(let event) = input {
                let received = clock.now
                lastMarket[event.symbol] = received
                switch event {
                case .markPrice(let mark) where priceSource == .markPrice: prices[mark.symbol] = (mark.price, received)
                case .trade(let trade) where priceSource == .lastTrade: prices[trade.symbol] = (trade.price, received)
                case .candle(let symbol, let candle, _) where prices[symbol] == nil: prices[symbol] = (candle.close, received)
                default: break
                }
            }
            return Self.snapshot(state, prices: prices, lastMarket: lastMarket)
        }
        if state.runID > 0, let dispatcher, dispatcher.runID.current != state.runID { dispatcher.runID.update { $0 = state.runID } }
        center.feed(.snapshot(snapshot))
    }

    static func snapshot(_ state: RuntimeState, prices: [Symbol: (price: Price, time: Timestamp)], lastMarket: [Symbol: Timestamp]) -> MonitorSnapshot {
        let positions = state.positions.map { view in
            let price = prices[view.position.symbol]
            return MonitoredPosition(position: view.position, price: price?.price, priceTime: price?.time, stopPrice: view.stopPrice,
                                     targetPrices: view.targetPrices, backstopPrice: view.backstopPrice, executor: view.executor,
                                     reportsStatus: view.reportsStatus, closing: view.closing, lastPriceEventAt: view.lastPriceEventAt)
        }
        return MonitorSnapshot(time: state.time, positions: positions, trades: state.trades, walletBalance: state.walletBalance,
                               riskState: state.riskState, manualHalt: state.manualHalt, haltReason: state.haltReason,
                               venueStreamInSync: state.venueStreamInSync, marketStreamInSync: state.marketStreamInSync,
                               symbols: state.symbols, lastMarketEventAt: lastMarket)
    }
}

/// Several observers as one: each sees every input in order; the loop stops when any says stop.
public struct RuntimeObservers: RuntimeObserver {
    public let observers: [any RuntimeObserver]

    public init(_ observers: [any RuntimeObserver]) { self.observers = observers }

    public func handled(_ input: RuntimeInput, state: RuntimeState) async -> Bool {
        var goOn = true
        for observer in observers where await !observer.handled(input, state: state) { goOn = false }
        return goOn
    }
}
