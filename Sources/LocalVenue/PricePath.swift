import CandleData
import TradingModel

/// One scripted price point of the venue: at `time`, `symbol` trades at `price`. When the point
/// is the last one of a candle, `closedCandle` is that candle (a closed `kline_1m` is published).
public struct VenuePricePoint: Sendable, Hashable {
    public var symbol: Symbol
    public var time: Timestamp
    public var price: Price
    public var closedCandle: Candle?

    public init(symbol: Symbol, time: Timestamp, price: Price, closedCandle: Candle? = nil) {
        self.symbol = symbol
        self.time = time
        self.price = price
        self.closedCandle = closedCandle
    }
}

/// The price path the venue replays, one point per `VenueController.step()`.
public struct PricePath: Sendable, Hashable {
    public private(set) var points: [VenuePricePoint]

    public init(points: [VenuePricePoint]) {
        precondition(zip(points, points.dropFirst()).allSatisfy { $0.time <= $1.time }, "price points must be in time order")
        self.points = points
    }

    /// A list of prices, one every `interval` from `start`; every point closes a one-point candle.
    public static func prices(_ prices: [Price], symbol: Symbol, start: Timestamp, interval: Duration = .seconds(60)) -> PricePath {
        var points: [VenuePricePoint] = []
        var time = start
        for price in prices {
            let candle = Candle(openTime: time, open: price, high: price, low: price, close: price, volume: Quantity(units: 1))
            points.append(VenuePricePoint(symbol: symbol, time: time, price: price, closedCandle: candle))
            time = time.advanced(by: interval)
        }
        return PricePath(points: points)
    }

    /// Four points per candle: open at the open time, then the extreme nearer the open, the
    /// other extreme, and the close one millisecond before the next candle (which closes the kline).
    public static func candles(_ candles: [Candle], symbol: Symbol, interval: Duration = .seconds(60)) -> PricePath {
        var points: [VenuePricePoint] = []
        let (seconds, attoseconds) = interval.components
        let span = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        for candle in candles {
            let start = candle.openTime.milliseconds
            let lowFirst = candle.open.raw - candle.low.raw <= candle.high.raw - candle.open.raw
            let extremes = lowFirst ? [candle.low, candle.high] : [candle.high, candle.low]
            points.append(VenuePricePoint(symbol: symbol, time: candle.openTime, price: candle.open))
            points.append(VenuePricePoint(symbol: symbol, time: Timestamp(milliseconds: start + span / 3), price: extremes[0]))
            points.append(VenuePricePoint(symbol: symbol, time: Timestamp(milliseconds: start + 2 * span / 3), price: extremes[1]))
            points.append(VenuePricePoint(symbol: symbol, time: Timestamp(milliseconds: start + span - 1), price: candle.close, closedCandle: candle))
        }
        return PricePath(points: points)
    }

    /// Reads a Binance kline CSV(.gz) file through `CandleData` (validated: bad rows are errors);
    /// the candle interval comes from the file (1 m when it cannot be told). Klines are
    /// published on the `kline_1m` stream whatever the file's interval.
    public static func candleFile(path: String, symbol: Symbol) throws(CandleDataError) -> PricePath {
        let series = try CandleReader.readAll(path: path)
        let interval = series.report.interval?.milliseconds ?? 60_000
        return candles(series.candles, symbol: symbol, interval: .milliseconds(interval))
    }
}
