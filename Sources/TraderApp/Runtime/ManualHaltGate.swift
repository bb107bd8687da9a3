import TradingEngine
import TradingModel

/// An entry gate without a risk engine of its own (the fixed-notional sizer), held by the
/// store's manual risk state: while `halt` is set every signal is rejected with
/// `riskHalted(manual: …)`. The validator holds a manual halt in its `RiskEngine` instead.
///
/// Generic, so the specialised kernel pays one nil check per signal and nothing per bar.
struct ManualHaltGate<Inner: EntryGate>: EntryGate {
    var inner: Inner
    /// The store's latest manual halt record's detail (nil: not halted).
    let halt: String?

    mutating func observe(_ event: MarketEvent) { inner.observe(event) }

    mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
        if let halt { return EntryEvaluation(.rejected(signal: signal, reasons: [.riskHalted(cause: "manual: \(halt)")])) }
        return inner.evaluate(signal, context: context)
    }

    mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] {
        inner.positionClosed(symbol: symbol, reason: reason, netPnL: netPnL, time: time)
    }
}

extension ManualHaltGate: Sendable where Inner: Sendable {}
