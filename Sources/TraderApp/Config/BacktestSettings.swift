import Backtest
import CandleData
import TradingConfig
import TradingEngine
import TradingModel

/// `[backtest]`, `[fees]`, `[account]` and `[instruments.<SYMBOL>]`: how a replay simulates the
/// venue and the account. Every default equals `config/default.toml`.
public struct BacktestSettings: Sendable, Hashable {
    /// Where funding settlements come from.
    public enum FundingSource: String, Sendable, Hashable, CaseIterable {
        case none, constant, file
    }

    public var path: IntrabarPath
    public var latency: SimulatedExchangeSettings.Latency
    public var slippageBasisPoints: Int
    /// Reject quantities/prices off the exchange grid (false only for the reference benchmark).
    public var enforcePrecision: Bool
    public var defaultLeverage: Int
    public var equitySampleInterval: Duration
    public var funding: FundingSource
    public var fundingRate: Rate
    public var fundingInterval: Duration
    /// Funding files (`funding_time_ms,funding_rate,mark_price`), `SYMBOL=path` pairs.
    public var fundingFiles: [String]
    /// Folder that receives `runs/<n>` when `--out` is not given.
    public var runsDirectory: String
    public var fees: FeeSchedule
    public var initialBalance: Money
    /// Overrides of the bundled instruments, by symbol.
    public var instrumentOverrides: [Symbol: InstrumentOverride]
    /// Largest plausible ratio between a bar's extremes and the previous close (`CandleLimits`):
    /// a candle file with a bigger move is refused with the line, before the replay.
    public var maxBarRatio: Rate
    /// The symbol of every candle file of the run (`qt backtest --symbol`), for files whose name
    /// does not follow Binance's `SYMBOL-INTERVAL-…` pattern; nil: each file's name says it. Not
    /// a configuration key: the command line sets it.
    public var dataSymbol: Symbol?

    public init(from section: ConfigSection) throws(ConfigError) {
        path = try section.choice("intrabar_path", default: IntrabarPath.pessimistic)
        latency = try section.choice("latency", default: SimulatedExchangeSettings.Latency.none)
        slippageBasisPoints = try section.int("slippage_bps", default: 0, range: 0...1000)
        enforcePrecision = try section.bool("enforce_precision", default: true)
        defaultLeverage = try section.int("default_leverage", default: 20, range: 1...125)
        equitySampleInterval = try section.duration("equity_sample_interval", default: .seconds(3600), range: .seconds(1)...Duration.seconds(366 * 86_400))
        funding = try section.choice("funding", default: FundingSource.none)
        fundingRate = try section.rate("funding_rate", default: Rate("0.0001")!, range: Rate("-0.05")!...Rate("0.05")!)
        fundingInterval = try section.duration("funding_interval", default: .seconds(8 * 3600), range: .seconds(3600)...Duration.seconds(86_400))
        fundingFiles = try section.stringArray("funding_files", default: [])
        if funding == .file && fundingFiles.isEmpty {
            throw section.invalid("funding_files", "funding = \"file\" needs at least one SYMBOL=path entry")
        }
        runsDirectory = try section.string("runs_directory", default: "runs")
        maxBarRatio = try section.rate("max_bar_ratio", default: CandleLimits.defaultMaximumBarRatio,
                                       range: Rate("1.01")!...Rate(units: 1_000_000))
        let document = section.document
        let fees = document.section("fees")
        self.fees = FeeSchedule(makerRate: try fees.rate("maker", default: Rate("0.0002")!, range: Rate.zero...Rate("0.01")!),
                                takerRate: try fees.rate("taker", default: Rate("0.0005")!, range: Rate.zero...Rate("0.01")!))
        initialBalance = try document.section("account").money("initial_balance", default: Money(units: 10_000),
                                                                range: Money(units: 1)...Money(units: 1_000_000_000))
        var overrides: [Symbol: InstrumentOverride] = [:]
        let instruments = document.section("instruments")
        for key in instruments.keys {
            guard let symbol = Symbol(key) else { throw instruments.invalid(key, "not a symbol (upper-case letters and digits)") }
            overrides[symbol] = try InstrumentOverride(from: instruments.section(key))
        }
        instrumentOverrides = overrides
    }

    /// The plausibility limits a candle file of `symbol` must meet: the instrument's price filter
    /// (its tick as the minimum when it has none) and `maxBarRatio`.
    public func candleLimits(for symbol: Symbol) throws(BacktestRunError) -> CandleLimits {
        CandleLimits(instrument: try instrument(for: symbol), maximumBarRatio: maxBarRatio)
    }

    /// The instrument for `symbol`: the bundled one with overrides applied, or one built only
    /// from overrides (tick, step and min notional are then required).
    public func instrument(for symbol: Symbol) throws(BacktestRunError) -> Instrument {
        let override = instrumentOverrides[symbol]
        if var instrument = BundledInstruments.instrument(symbol) {
            if let override { override.apply(to: &instrument) }
            return instrument
        }
        guard let override, let tick = override.tickSize, let step = override.stepSize, let minNotional = override.minNotional else {
            throw BacktestRunError("no instrument for \(symbol): add [instruments.\(symbol)] with tick_size, step_size and min_notional")
        }
        let template = BundledInstruments.instrument("LINKUSDT")!
        return Instrument(symbol: symbol, baseAsset: String(symbol.name.dropLast(4)), tickSize: tick, stepSize: step, minQuantity: step,
                          maxQuantity: Quantity(units: 10_000_000), minNotional: minNotional, marginBrackets: template.marginBrackets)
    }
}

/// `[instruments.<SYMBOL>]`: filter overrides for a backtest instrument.
public struct InstrumentOverride: Sendable, Hashable {
    public var tickSize: Price?
    public var stepSize: Quantity?
    public var minNotional: Money?

    public init(from section: ConfigSection) throws(ConfigError) {
        tickSize = try section.optionalPrice("tick_size", range: Price(raw: 1)...Price(units: 1_000_000))
        stepSize = try section.optionalQuantity("step_size", range: Quantity(raw: 1)...Quantity(units: 1_000_000))
        minNotional = try section.optionalMoney("min_notional", range: Money.zero...Money(units: 1_000_000))
    }

    func apply(to instrument: inout Instrument) {
        if let tickSize { instrument.tickSize = tickSize }
        if let stepSize {
            instrument.stepSize = stepSize
            instrument.marketStepSize = stepSize
            instrument.minQuantity = stepSize
            instrument.marketMinQuantity = stepSize
        }
        if let minNotional { instrument.minNotional = minNotional }
    }
}
