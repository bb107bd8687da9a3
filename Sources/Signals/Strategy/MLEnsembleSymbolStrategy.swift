import TradingEngine
import TradingModel

/// The kernel's `TradingStrategy` for one symbol of an `ml-ensemble` run: forwards its closed
/// bars to the run's shared `MLSignalSource` (cross-symbol features) and returns that symbol's
/// signal. Holds no state of its own besides the symbol.
public struct MLEnsembleSymbolStrategy: TradingStrategy {
    public let symbol: Symbol
    public let source: MLSignalSource

    public init(symbol: Symbol, source: MLSignalSource) {
        self.symbol = symbol
        self.source = source
    }

    /// The symbol's signal, with the shared source's alerts not handed out yet (raised on this
    /// bar, or by another symbol's strategy of the run since its last bar).
    public mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        let signal = source.onBar(candle, symbol: symbol, closeTime: closeTime)
        source.appendNewAlerts(to: &alerts)
        return signal
    }
}

@available(*, unavailable, message: "refers to a non-Sendable MLSignalSource")
extension MLEnsembleSymbolStrategy: Sendable {}
