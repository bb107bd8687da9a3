import Synchronization
import Alerts
import CoreMetrics
import TradingEngine
import TradingModel

/// The console's view of a running session: after every runtime input it keeps the runtime's
/// state, the latest price and market-data time per symbol (on the price source the exit owners
/// use), counts stream resyncs and sets the gauges (`qt_equity_usdt`, `qt_open_positions`,
/// `qt_unprotected_positions`). Called inside the runtime's loop: one lock, a few assignments,
/// no I/O (the page and API read the copy, never the actor).
/// A lock-protected box (`@unchecked Sendable`: the mutable fields are accessed under `lock` only).
public final class DashboardObserver: RuntimeObserver, @unchecked Sendable {
    /// What the observer saw last.
    public struct Snapshot: Sendable {
        public var state: RuntimeState
        public var prices: [Symbol: Price]
        public var lastMarketAt: [Symbol: Timestamp]
    }

    private let lock = Mutex(())
    private var state: RuntimeState?
    private var prices: [Symbol: Price] = [:]
    private var lastMarketAt: [Symbol: Timestamp] = [:]
    let priceSource: PriceEvent.Source
    let clock: any TradingClock
    /// Inputs handled so far (waits for a session's answer follow it, never a sleep).
    public let progress = WatchedValue(0)
    let equityGauge: Gauge
    let openGauge: Gauge
    let unprotectedGauge: Gauge
    let marketResyncs: Counter
    let venueResyncs: Counter

    public init(priceSource: PriceEvent.Source, clock: any TradingClock, factory: any MetricsFactory = MetricsSystem.factory) {
        self.priceSource = priceSource
        self.clock = clock
        equityGauge = Gauge(label: "qt_equity_usdt", dimensions: [], factory: factory)
        openGauge = Gauge(label: "qt_open_positions", dimensions: [], factory: factory)
        unprotectedGauge = Gauge(label: "qt_unprotected_positions", dimensions: [], factory: factory)
        marketResyncs = Counter(label: "qt_stream_reconnects_total", dimensions: [("stream", "market")], factory: factory)
        venueResyncs = Counter(label: "qt_stream_reconnects_total", dimensions: [("stream", "user_data")], factory: factory)
    }

    public func handled(_ input: RuntimeInput, state: RuntimeState) async -> Bool {
        observe(input, state: state)
        return true
    }

    public func observe(_ input: RuntimeInput, state: RuntimeState) {
        let prices: [Symbol: Price] = lock.withLock { _ in
            self.state = state
            switch input {
            case .market(let event):
                lastMarketAt[event.symbol] = clock.now
                switch event {
                case .markPrice(let mark) where priceSource == .markPrice: self.prices[mark.symbol] = mark.price
                case .trade(let trade) where priceSource == .lastTrade: self.prices[trade.symbol] = trade.price
                case .candle(let symbol, let candle, _) where self.prices[symbol] == nil || priceSource == .barPath: self.prices[symbol] = candle.close
                default: break
                }
            case .marketStreamInSync(false):
                marketResyncs.increment()
            case .venueStreamInSync(false):
                venueResyncs.increment()
            default:
                break
            }
            return self.prices
        }
        openGauge.record(state.positions.count)
        unprotectedGauge.record(state.positions.filter(Self.isUnprotected).count)
        if let equity = Self.equity(state, prices: prices) { equityGauge.record(equity.doubleValue) }
        progress.update { $0 += 1 }
    }

    /// The latest state with prices; nil before the first input.
    public var snapshot: Snapshot? {
        lock.withLock { _ in state.map { Snapshot(state: $0, prices: prices, lastMarketAt: lastMarketAt) } }
    }

    /// No exit owner, no stop, or an owner that places a backstop (it reports its status) with none resting.
    static func isUnprotected(_ view: PositionExitView) -> Bool {
        view.executor == nil || view.stopPrice == nil || (view.reportsStatus && view.backstopPrice == nil)
    }

    /// Wallet plus the unrealised PnL of every position at its latest price (entry when none yet).
    static func equity(_ state: RuntimeState, prices: [Symbol: Price]) -> Money? {
        guard let wallet = state.walletBalance else { return nil }
        return state.positions.reduce(wallet) { total, view in
            total + view.position.unrealizedPnL(at: prices[view.position.symbol] ?? view.position.entryPrice)
        }
    }
}
