import TradingEngine
import TradingModel

/// Signals LONG on every bar (the kernel suites that need a signal at each close).
struct LongEveryBar: TradingStrategy {
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        Signal(symbol: TestInstrument.symbol, side: .long, confidence: nil, time: closeTime, source: "test")
    }
}

/// An exit owner that never acts.
struct QuietExitOwner: PositionExitOwner {
    var executorName: String { "quiet" }
    mutating func on(_ event: ExitEvent) -> [ExitAction] { [] }
}
