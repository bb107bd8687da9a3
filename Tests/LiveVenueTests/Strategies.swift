import TradingEngine
import TradingModel

/// Signals SHORT ATOMUSDT on the first closed bar it sees (once per process), or on every closed
/// bar (`everyBar`: the kernel enters only while flat, so a refused entry is tried again), or never (`silent`).
struct ShortOnceStrategy: TradingStrategy, Sendable {
    var everyBar = false
    var fired = false
    /// Never signals (a bot that only watches and protects).
    var silent = false
    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        guard !silent, everyBar || !fired else { return nil }
        fired = true
        return Signal(symbol: "ATOMUSDT", side: .short, confidence: nil, time: closeTime, source: "venue-live-test")
    }
}

/// Approves 446.03 ATOM at 2x with the exit engine's plan (the seed incident's size and leverage).
struct BrainGate: EntryGate {
    let brain: ExitBrain
    mutating func observe(_ event: MarketEvent) {}
    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] { [] }
    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        switch brain.plan(symbol: signal.symbol, side: signal.side, entryPrice: context.price, quantity: Quantity("446.03")!,
                          leverage: 2, instrument: context.instrument) {
        case .success(let plan): EntryEvaluation(.approved(ApprovedEntry(signal: signal, quantity: plan.quantity, leverage: 2, plan: plan)))
        case .failure(let rejection): EntryEvaluation(.rejected(signal: signal, reasons: [.exitPlanRejected(rejection.message)]))
        }
    }
}
