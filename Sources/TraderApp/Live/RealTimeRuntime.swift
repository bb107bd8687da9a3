import TradingEngine
import TradingModel

/// A `LiveRuntime` whose strategy, gate and exit owner a configuration chose (built through
/// `TradingWiring.compose`), seen by a runner that does not need its generic parameters.
public protocol RealTimeRuntime: Actor {
    /// Reconciles with the venue (entries are blocked until this succeeded).
    func reconcile() async throws(LiveRuntimeError)
    /// Runs on `market` (`LiveRuntime.run`): timer ticks every `timerInterval` of real time (nil:
    /// none); `observer` sees the runtime's state after each input and can stop the loop;
    /// `beforeMarket` sees each market event on the loop before the runtime handles it.
    func run(market: AsyncThrowingStream<MarketEvent, any Error>, timerInterval: Duration?, commands: AsyncStream<RuntimeInput>?,
             observer: (any RuntimeObserver)?, beforeMarket: (@Sendable (MarketEvent) -> Void)?) async throws
    /// Processes one input completely.
    func handle(_ input: RuntimeInput) async
    /// Starts the history warm-up (`LiveRuntime+WarmUp`): every symbol blocked until warm.
    func beginWarmUp(_ plan: WarmUpPlan, fetch: KlineFetch?)
    /// Feeds back-filled klines of `symbol`, oldest first; what they covered.
    @discardableResult
    func loadHistory(_ candles: [Candle], symbol: Symbol, requestedFrom start: Timestamp) async -> (hours: Int, ready: Bool)
    /// The back-fill of `symbol` failed (alerted; entries wait for the live stream's history).
    func historyUnavailable(symbol: Symbol, reason: String) async
    /// Whether the warm-up of `symbol` is complete (true when none was started).
    func isWarm(_ symbol: Symbol) -> Bool
    var trades: [ClosedTrade] { get }
    var alerts: [Alert] { get }
    var blockedSignals: [(Signal, String)] { get }
    var walletBalance: Money { get }
    var openPositions: [Position] { get }
    /// Trades, open positions with their exit levels, account, risk and stream states.
    var state: RuntimeState { get }
}

extension LiveRuntime: RealTimeRuntime {}
