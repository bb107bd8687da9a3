import TradingModel

/// A strategy for one symbol: sees each closed bar and may propose a position (a `Signal`).
/// Pure state machine; the kernel acts on a signal at the symbol's next price event (the next
/// bar's open in a replay), through the entry gate. Never an order.
public protocol TradingStrategy {
    /// A bar closed at `closeTime`: returns the signal, if any, and appends to `alerts` what the
    /// strategy raised instead of one (a model that could not answer); the kernel emits those as
    /// `KernelAction.alert`. `alerts` is the kernel's buffer, reused across bars (other strategies'
    /// alerts are never in it). Hot path: return nil and leave `alerts` untouched, without
    /// allocating, when nothing changes.
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal?
}
