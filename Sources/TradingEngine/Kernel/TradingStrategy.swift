import TradingModel

/// A strategy for one symbol: sees each closed bar and may propose a position (a `Signal`).
/// Pure state machine; the kernel acts on a signal at the symbol's next price event (the next
/// bar's open in a replay), through the entry gate. Never an order.
public protocol TradingStrategy {
    /// A bar closed at `closeTime`. Hot path: return nil without allocating when nothing changes.
    mutating func onBar(_ candle: Candle, closeTime: Timestamp) -> Signal?

    /// Alerts raised since the last call instead of a signal (a model that could not answer),
    /// for a real-time runtime to record and deliver after each bar. Default: none.
    mutating func takeAlerts() -> [Alert]
}

extension TradingStrategy {
    public mutating func takeAlerts() -> [Alert] { [] }
}
