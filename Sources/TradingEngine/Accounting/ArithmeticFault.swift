import TradingModel

/// Something the ledger could not book because a value from data does not fit its fixed-point
/// range (`Portfolio.maximumMagnitude`): a fill, a funding payment or a mark at a price no market
/// printed. Once a ledger has one, it is not trustworthy any more: the kernel takes no new
/// entries and raises a critical alert, and a backtest stops with this error naming the bar.
public struct ArithmeticFault: Error, Sendable, Hashable, CustomStringConvertible {
    public var symbol: Symbol
    /// Venue time of the event that could not be booked (nil for a mark, which has none).
    public var time: Timestamp?
    /// What was being booked, with its values (`SELL 666.66666666 at 10000000000 against a LONG from 1.5`).
    public var what: String

    public init(symbol: Symbol, time: Timestamp?, what: String) {
        self.symbol = symbol
        self.time = time
        self.what = what
    }

    public var description: String {
        "\(symbol): \(what): the amounts exceed ±\(Money(raw: Portfolio.maximumMagnitude)) USDT (64-bit fixed point); not booked"
    }
}
