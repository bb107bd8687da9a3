import TradingModel

/// What the triple barrier saw after one decision bar.
public struct BarrierOutcome: Sendable, Hashable {
    public var label: SignalClass
    /// Return of a long opened at the decision close and run to its first barrier, after fees.
    public var longReturn: Double
    /// Same for a short.
    public var shortReturn: Double
    /// Close time of the last bar the label looked at (both barrier races resolved).
    public var endTime: Timestamp
}

/// Triple-barrier labels consistent with how we exit.
///
/// From the close of bar `i`, a long wins if price reaches `close × (1 + takeProfit)` before
/// `close × (1 − stop)` within `horizonBars`; a short likewise mirrored. When one bar touches both
/// barriers of a side, the stop counts first (we cannot know the order inside a bar, and the
/// pessimistic reading is the safe one). Label: the side whose take-profit is reached first;
/// NONE when neither is, or both in the same bar. A race that times out exits at the horizon close.
public struct TripleBarrierLabeler: Sendable {
    public let settings: TripleBarrierSettings

    public init(settings: TripleBarrierSettings) { self.settings = settings }

    /// The outcome for decision bar `index`, or nil when fewer than `horizonBars` bars follow.
    public func outcome(candles: [Candle], at index: Int) -> BarrierOutcome? {
        guard index + settings.horizonBars < candles.count else { return nil }
        let entry = candles[index].close.doubleValue
        let longTarget = entry * (1 + settings.takeProfitPriceMove), longStop = entry * (1 - settings.stopPriceMove)
        let shortTarget = entry * (1 - settings.takeProfitPriceMove), shortStop = entry * (1 + settings.stopPriceMove)
        var longResult: (bar: Int, move: Double, won: Bool)?
        var shortResult: (bar: Int, move: Double, won: Bool)?
        let last = index + settings.horizonBars
        var bar = index + 1
        while bar <= last && (longResult == nil || shortResult == nil) {
            let high = candles[bar].high.doubleValue, low = candles[bar].low.doubleValue
            if longResult == nil {
                if low <= longStop { longResult = (bar, -settings.stopPriceMove, false) }
                else if high >= longTarget { longResult = (bar, settings.takeProfitPriceMove, true) }
            }
            if shortResult == nil {
                if high >= shortStop { shortResult = (bar, -settings.stopPriceMove, false) }
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
        let endBar = max(long.bar, short.bar)
        return BarrierOutcome(label: label, longReturn: long.move - settings.roundTripFeeRate,
                              shortReturn: short.move - settings.roundTripFeeRate,
                              endTime: Timestamp(milliseconds: candles[endBar].openTime.milliseconds + 60_000))
    }
}
