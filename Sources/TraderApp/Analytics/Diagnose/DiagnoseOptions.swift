import CandleData
import TradingEngine
import TradingModel

/// What `qt diagnose` knows besides the store: prices, candles, thresholds.
public struct DiagnoseOptions: Sendable {
    /// Prices given by hand (`--price ATOMUSDT=2.2616`); they win over candles.
    public var prices: [Symbol: Price] = [:]
    /// Mark prices the venue reported (`--venue`), used for a position without `--price` or candles.
    public var venueMarks: [Symbol: (price: Price, time: Timestamp)] = [:]
    /// Candles per symbol (`--data FILE`), oldest first: the price at the time of the diagnosis,
    /// when a stop was crossed, the trend at an entry, correlations.
    public var candles: [Symbol: [Candle]] = [:]
    /// Bar length of each symbol's candles.
    public var candleIntervals: [Symbol: Duration] = [:]
    /// The time the diagnosis is made for; nil: the latest event in the store.
    public var asOf: Timestamp?
    /// The validator's confidence threshold (`[validation] min_confidence`); nil: not checked.
    public var minConfidence: Double?
    /// The validator's trend rule (`[validation]` of the given configuration, else its defaults).
    public var trend = ValidationSettings.Trend()
    /// Whether that configuration had the trend check on (stated in the evidence when off).
    public var trendCheckEnabled = true
    /// The model's out-of-sample expectation (`--model DIR`: its report.json); nil: not compared.
    public var model: ModelExpectation?
    /// An exit owner without a price event for longer than this is silent.
    public var silentAfter: Duration = .seconds(120)
    /// How many recent signals and alerts to list.
    public var signalLimit = 10
    public var alertLimit = 10

    public init() {}
}
