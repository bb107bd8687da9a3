import TradingModel

extension TriggerPriceSource {
    /// The live price events of this source: mark prices for `.markPrice`, last trades for `.lastPrice`.
    @inlinable public var priceEventSource: PriceEvent.Source { self == .markPrice ? .markPrice : .lastTrade }

    /// True when a live price event from `source` is this price (bar-path points are neither).
    @inlinable public func drives(_ source: PriceEvent.Source) -> Bool { source == priceEventSource }

    /// `"mark"` / `"last"`: the configuration's and the user's name of this source.
    public var settingName: String { self == .markPrice ? "mark" : "last" }
}
