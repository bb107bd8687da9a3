/// One OHLCV bar as Binance publishes it. `openTime` is the bar's open; the bar covers
/// `[openTime, openTime + interval)`. Optional columns are absent in some sources.
public struct Candle: Sendable, Hashable {
    public var openTime: Timestamp
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    /// Base-asset volume.
    public var volume: Quantity
    /// Quote-asset volume; nil when the source lacks it.
    public var quoteVolume: Money?
    /// Number of trades; nil when the source lacks it.
    public var tradeCount: Int64?
    /// Taker-buy base volume; nil when the source lacks it.
    public var takerBuyVolume: Quantity?

    public init(openTime: Timestamp, open: Price, high: Price, low: Price, close: Price, volume: Quantity,
                quoteVolume: Money? = nil, tradeCount: Int64? = nil, takerBuyVolume: Quantity? = nil) {
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.quoteVolume = quoteVolume
        self.tradeCount = tradeCount
        self.takerBuyVolume = takerBuyVolume
    }
}

/// A mark-price update (Binance `markPriceUpdate`).
public struct MarkPrice: Sendable, Hashable {
    public var symbol: Symbol
    public var price: Price
    /// Index price, when known.
    public var indexPrice: Price?
    /// Current (predicted) funding rate and next funding time, when known.
    public var fundingRate: Rate?
    public var nextFundingTime: Timestamp?
    /// Venue event time and our receive time.
    public var eventTime: Timestamp
    public var receiveTime: Timestamp

    public init(symbol: Symbol, price: Price, indexPrice: Price? = nil, fundingRate: Rate? = nil,
                nextFundingTime: Timestamp? = nil, eventTime: Timestamp, receiveTime: Timestamp) {
        self.symbol = symbol
        self.price = price
        self.indexPrice = indexPrice
        self.fundingRate = fundingRate
        self.nextFundingTime = nextFundingTime
        self.eventTime = eventTime
        self.receiveTime = receiveTime
    }
}

/// A public trade (Binance `aggTrade`).
public struct Trade: Sendable, Hashable {
    public var symbol: Symbol
    public var price: Price
    public var quantity: Quantity
    /// True when the buyer was the maker (an aggressive sell).
    public var buyerIsMaker: Bool
    public var tradeTime: Timestamp
    public var receiveTime: Timestamp

    public init(symbol: Symbol, price: Price, quantity: Quantity, buyerIsMaker: Bool, tradeTime: Timestamp, receiveTime: Timestamp) {
        self.symbol = symbol
        self.price = price
        self.quantity = quantity
        self.buyerIsMaker = buyerIsMaker
        self.tradeTime = tradeTime
        self.receiveTime = receiveTime
    }
}

/// A funding settlement: at `fundingTime`, longs pay `notional × rate` to shorts when the rate
/// is positive (and receive it when negative).
public struct FundingRate: Sendable, Hashable {
    public var fundingTime: Timestamp
    public var rate: Rate
    /// Mark price at settlement, when the source has it.
    public var markPrice: Price?

    public init(fundingTime: Timestamp, rate: Rate, markPrice: Price? = nil) {
        self.fundingTime = fundingTime
        self.rate = rate
        self.markPrice = markPrice
    }
}
