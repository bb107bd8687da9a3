import TradingEngine
import TradingModel

/// Why a replay stopped early: at a bar, a ledger (ours or the simulated venue's) could not book
/// something because a value from the data does not fit its fixed-point range
/// (`ArithmeticFault`). The run's results stop being meaningful there, so none are reported.
public struct BacktestFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// Symbol and open time of the bar being replayed when the fault happened.
    public var symbol: Symbol
    public var barOpenTime: Timestamp
    /// `our ledger` or `the venue's ledger`.
    public var ledger: String
    public var fault: ArithmeticFault

    public init(symbol: Symbol, barOpenTime: Timestamp, ledger: String, fault: ArithmeticFault) {
        self.symbol = symbol
        self.barOpenTime = barOpenTime
        self.ledger = ledger
        self.fault = fault
    }

    public var description: String {
        "backtest stopped at the \(symbol) bar opening \(barOpenTime) (open_time_ms \(barOpenTime.milliseconds)): "
            + "\(ledger) cannot book \(fault)"
    }
}
