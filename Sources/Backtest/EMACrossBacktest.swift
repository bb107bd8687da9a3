import TradingEngine
import TradingModel

/// Wiring of the reference `ema-cross` benchmark: `EMACrossStrategy` → `FixedNotionalEntryGate`
/// → `FixedBracketExit`, on the simulated exchange. Every setting is explicit.
public enum EMACrossBacktest {
    public typealias Engine = BacktestEngine<EMACrossStrategy, FixedNotionalEntryGate, FixedBracketExit>

    /// Settings of an `ema-cross` run (`examples/ema-cross.toml` maps onto these).
    public struct Settings: Sendable, Hashable {
        public var fastPeriod: Int
        public var slowPeriod: Int
        public var entry: FixedNotionalEntryGate.Settings
        /// Stop/target; `armDelay` nil = one bar interval (levels checked from the bar after entry).
        public var stopMove: Rate
        public var targetMove: Rate
        public var roundLevelsToTick: Bool
        public var exchange: SimulatedExchangeSettings
        public var initialBalance: Money
        public var path: IntrabarPath
        public var funding: FundingSchedule
        public var equitySampleInterval: Duration

        public init(fastPeriod: Int, slowPeriod: Int, entry: FixedNotionalEntryGate.Settings, stopMove: Rate, targetMove: Rate,
                    roundLevelsToTick: Bool, exchange: SimulatedExchangeSettings, initialBalance: Money, path: IntrabarPath,
                    funding: FundingSchedule, equitySampleInterval: Duration) {
            self.fastPeriod = fastPeriod
            self.slowPeriod = slowPeriod
            self.entry = entry
            self.stopMove = stopMove
            self.targetMove = targetMove
            self.roundLevelsToTick = roundLevelsToTick
            self.exchange = exchange
            self.initialBalance = initialBalance
            self.path = path
            self.funding = funding
            self.equitySampleInterval = equitySampleInterval
        }

        /// The reference benchmark other backtesters are compared against: EMA 12/26, 1000 USDT per entry
        /// unrounded, stop 1.2%, target 1.86%, taker 0.04% (maker 0.04% too: only market orders
        /// are used), no slippage, no funding, 1x leverage, 10,000 USDT account.
        public static let reference = Settings(
            fastPeriod: 12, slowPeriod: 26,
            entry: FixedNotionalEntryGate.Settings(notional: Money(units: 1000), leverage: 1, stopMove: Rate(raw: 1_200_000),
                                                   targetMove: Rate(raw: 1_860_000), roundQuantityToStep: false),
            stopMove: Rate(raw: 1_200_000), targetMove: Rate(raw: 1_860_000), roundLevelsToTick: false,
            exchange: SimulatedExchangeSettings(fees: FeeSchedule(makerRate: Rate(raw: 40_000), takerRate: Rate(raw: 40_000)),
                                                slippageBasisPoints: 0, latency: .none, enforcePrecision: false, defaultLeverage: 1),
            initialBalance: Money(units: 10_000), path: .pessimistic, funding: .none, equitySampleInterval: .seconds(3600))
    }

    /// A ready engine for `instruments` (one strategy per instrument), bars of `interval`.
    public static func makeEngine(instruments: [Instrument], settings: Settings, interval: Duration,
                                  funding: [FundingSchedule]? = nil, start: Timestamp = Timestamp(milliseconds: 0)) -> Engine {
        let kernel = makeKernel(instruments: instruments, settings: settings, interval: interval, runTag: "bt")
        let exchange = SimulatedExchange(instruments: instruments, initialBalance: settings.initialBalance, settings: settings.exchange)
        let schedules = funding ?? Array(repeating: settings.funding, count: instruments.count)
        return Engine(kernel: kernel, exchange: exchange, path: settings.path,
                      funding: schedules.map { FundingCursor($0, start: start) })
    }

    /// The kernel of an `ema-cross` run (the backtest's, and paper trading's on the same config).
    public static func makeKernel(instruments: [Instrument], settings: Settings, interval: Duration,
                                  runTag: String) -> TradingKernel<EMACrossStrategy, FixedNotionalEntryGate, FixedBracketExit> {
        let exitSettings = FixedBracketExit.Settings(stopMove: settings.stopMove, targetMove: settings.targetMove,
                                                     armDelay: interval, roundToTick: settings.roundLevelsToTick)
        return TradingKernel<EMACrossStrategy, FixedNotionalEntryGate, FixedBracketExit>(
            instruments: instruments,
            strategies: instruments.map { EMACrossStrategy(symbol: $0.symbol, fastPeriod: settings.fastPeriod, slowPeriod: settings.slowPeriod) },
            gate: FixedNotionalEntryGate(settings: settings.entry), initialBalance: settings.initialBalance,
            equitySampleInterval: settings.equitySampleInterval, runTag: runTag,
            makeExitOwner: { FixedBracketExit(context: $0, settings: exitSettings) })
    }

    /// Runs one symbol's candles (in time order) and returns the output.
    public static func run(candles: [Candle], instrument: Instrument, interval: Duration, settings: Settings) -> BacktestOutput {
        var engine = makeEngine(instruments: [instrument], settings: settings, interval: interval,
                                start: candles.first?.openTime ?? Timestamp(milliseconds: 0))
        for candle in candles { engine.onCandle(candle, interval: interval, symbolIndex: 0) }
        return engine.finish()
    }
}
