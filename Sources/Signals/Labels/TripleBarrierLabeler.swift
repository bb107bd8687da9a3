#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TradingModel

/// What the triple barrier saw after one decision bar.
public struct BarrierOutcome: Sendable, Hashable {
    public var label: SignalClass
    /// Return of a long opened at the decision close and run to its first barrier, after fees,
    /// slippage and funding.
    public var longReturn: Double
    /// Same for a short.
    public var shortReturn: Double
    /// Close time of the bar where the long's (short's) race ended: its exit.
    public var longExitTime: Timestamp
    public var shortExitTime: Timestamp
    /// Close time of the last bar the label looked at (both barrier races resolved).
    public var endTime: Timestamp
}

/// Triple-barrier labels consistent with how we exit, and the returns those exits would book.
///
/// From the close of bar `i`, a long wins if price reaches `close × (1 + takeProfit)` before
/// `close × (1 − stop)` within `horizonBars`; a short likewise mirrored. When one bar touches both
/// barriers of a side, the stop counts first (we cannot know the order inside a bar, and the
/// pessimistic reading is the safe one). Label: the side whose take-profit is reached first;
/// NONE when neither is, or both in the same bar. A race that times out exits at the horizon close.
///
/// Returns (price-move fractions of the entry): the take-profit books exactly its move (never
/// better); a stop books its move, or the bar's open when the bar opened beyond the stop (a gap
/// fills worse, never better); a timeout books the horizon close. Then every outcome pays the
/// round-trip fees, `2 × slippage` (entry and exit are market orders) and funding
/// (`FundingSchedule`) for each settlement `t` with `entry < t ≤ exit`.
public struct TripleBarrierLabeler: Sendable {
    public let settings: TripleBarrierSettings

    public init(settings: TripleBarrierSettings) { self.settings = settings }

    /// True when the `horizonBars` bars after `index` are the next minutes without a gap
    /// (`t[i + H] − t[i] = H` minutes): only then is the label the market's answer.
    public func labelWindowIsContiguous(candles: [Candle], at index: Int) -> Bool {
        guard index >= 0, index + settings.horizonBars < candles.count else { return false }
        return candles[index + settings.horizonBars].openTime.milliseconds - candles[index].openTime.milliseconds
            == Int64(settings.horizonBars) * 60_000
    }

    /// The outcome for decision bar `index`, or nil when fewer than `horizonBars` contiguous
    /// one-minute bars follow.
    public func outcome(candles: [Candle], at index: Int, funding: FundingSchedule? = nil) -> BarrierOutcome? {
        guard labelWindowIsContiguous(candles: candles, at: index) else { return nil }
        let entry = candles[index].close.doubleValue
        let longTarget = entry * (1 + settings.takeProfitPriceMove), longStop = entry * (1 - settings.stopPriceMove)
        let shortTarget = entry * (1 - settings.takeProfitPriceMove), shortStop = entry * (1 + settings.stopPriceMove)
        var longResult: (bar: Int, move: Double, won: Bool)?
        var shortResult: (bar: Int, move: Double, won: Bool)?
        let last = index + settings.horizonBars
        var bar = index + 1
        while bar <= last && (longResult == nil || shortResult == nil) {
            let open = candles[bar].open.doubleValue
            let high = candles[bar].high.doubleValue, low = candles[bar].low.doubleValue
            if longResult == nil {
                if low <= longStop { longResult = (bar, min(open, longStop) / entry - 1, false) }
                else if high >= longTarget { longResult = (bar, settings.takeProfitPriceMove, true) }
            }
            if shortResult == nil {
                if high >= shortStop { shortResult = (bar, 1 - max(open, shortStop) / entry, false) }
                else if low <= shortTarget { shortResult = (bar, settings.takeProfitPriceMove, true) }
            }
            bar += 1
        }
        let horizonMove = candles[last].close.doubleValue / entry - 1
        let long = longResult ?? (last, horizonMove, false)
        let short = shortResult ?? (last, -horizonMove, false)
        var label = SignalClass.none
        if long.won && (!short.won || long.bar < short.bar) { label = .long }
        else if short.won && (!long.won || short.bar < long.bar) { label = .short }
        func closeTime(_ bar: Int) -> Timestamp { Timestamp(milliseconds: candles[bar].openTime.milliseconds + 60_000) }
        let entryTime = closeTime(index)
        let costs = settings.roundTripFeeRate + 2 * settings.slippagePerFill
        let schedule = funding ?? FundingSchedule(rates: [], assumedRate: settings.assumedFundingRate)
        return BarrierOutcome(label: label,
                              longReturn: long.move - costs - schedule.cost(side: .long, entry: entryTime, exit: closeTime(long.bar)),
                              shortReturn: short.move - costs - schedule.cost(side: .short, entry: entryTime, exit: closeTime(short.bar)),
                              longExitTime: closeTime(long.bar), shortExitTime: closeTime(short.bar),
                              endTime: closeTime(max(long.bar, short.bar)))
    }
}
