import TradingModel

/// A market event in time order. Every event carries the venue time; live feeds also stamp
/// their receive time.
public enum MarketEvent: Sendable, Hashable {
    /// A closed bar of `symbol`.
    case candle(Symbol, Candle, interval: Duration)
    case markPrice(MarkPrice)
    case trade(Trade)
    case funding(Symbol, FundingRate)

    public var symbol: Symbol {
        switch self {
        case .candle(let symbol, _, _), .funding(let symbol, _): symbol
        case .markPrice(let mark): mark.symbol
        case .trade(let trade): trade.symbol
        }
    }

    /// Venue time of the event. A candle is stamped at its close (`openTime + interval`), the
    /// moment it became known.
    public var time: Timestamp {
        switch self {
        case .candle(_, let candle, let interval): candle.openTime.advanced(by: interval)
        case .markPrice(let mark): mark.eventTime
        case .trade(let trade): trade.tradeTime
        case .funding(_, let funding): funding.fundingTime
        }
    }
}

/// Port: a source of market events (Binance WebSocket streams, the local venue, file replay).
public protocol MarketDataFeed: Sendable {
    func events(symbols: [Symbol]) -> AsyncThrowingStream<MarketEvent, any Error>
}
