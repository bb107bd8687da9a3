import TradingModel

/// One symbol's candles for the report's price chart (the replayed bars, in time order).
public struct ReportPriceSeries: Sendable {
    public var symbol: Symbol
    public var candles: [Candle]

    public init(symbol: Symbol, candles: [Candle]) {
        self.symbol = symbol
        self.candles = candles
    }
}
