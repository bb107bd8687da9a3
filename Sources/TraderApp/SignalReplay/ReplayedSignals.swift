import TradingEngine
import TradingModel

/// A `TradingStrategy` that emits external signals of one symbol: each at the close of the
/// first bar that closes at or after its time (the earliest moment a bar-driven system could act
/// on it), one per bar, in time order.
struct ReplayedSignals: TradingStrategy {
    let symbol: Symbol
    var pending: [ExternalSignal]

    init(symbol: Symbol, signals: [ExternalSignal]) {
        self.symbol = symbol
        self.pending = signals.filter { $0.symbol == symbol }.sorted { ($0.time, $0.line) < ($1.time, $1.line) }
    }

    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        guard let next = pending.first, next.time <= closeTime else { return nil }
        pending.removeFirst()
        return Signal(symbol: symbol, side: next.side, confidence: next.confidence, time: closeTime, source: "signals-file:\(next.line)")
    }
}
