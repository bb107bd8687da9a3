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

    public mutating func onBar(_ candle: Candle, closeTime: Timestamp) -> Signal? {
        source.onBar(candle, symbol: symbol, closeTime: closeTime)
    }

    /// The shared source's alerts not taken yet (by any symbol's strategy of the run).
    public mutating func takeAlerts() -> [Alert] {
        source.takeNewAlerts()
    }
}

@available(*, unavailable, message: "refers to a non-Sendable MLSignalSource")
extension MLEnsembleSymbolStrategy: Sendable {}
