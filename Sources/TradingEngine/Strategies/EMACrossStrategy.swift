import TradingModel

/// The reference `ema-cross` strategy: EMA 12 and EMA 26 of the close (α = 2/(n+1), both seeded
/// with the first close). When the fast EMA crosses above the slow one at a bar's close it
/// signals LONG; below, SHORT. A cross is `previous fast ≤ previous slow && fast > slow` (and the
/// mirror), evaluated from the second bar on. Doubles are fine here (an indicator).
/// Hot path: two multiply-adds per bar, no allocation.
public struct EMACrossStrategy: TradingStrategy, Sendable {
    public static let name = "ema-cross"
    public let symbol: Symbol
    @usableFromInline let fastAlpha: Double
    @usableFromInline let slowAlpha: Double
    @usableFromInline var fast = 0.0
    @usableFromInline var slow = 0.0
    @usableFromInline var seeded = false

    public init(symbol: Symbol, fastPeriod: Int = 12, slowPeriod: Int = 26) {
        precondition(fastPeriod >= 1 && slowPeriod > fastPeriod, "periods must satisfy 1 <= fast < slow")
        self.symbol = symbol
        fastAlpha = 2.0 / Double(fastPeriod + 1)
        slowAlpha = 2.0 / Double(slowPeriod + 1)
    }

    @inlinable
    public mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        let close = candle.close.doubleValue
        guard seeded else {
            fast = close
            slow = close
            seeded = true
            return nil
        }
        let previousFast = fast
        let previousSlow = slow
        fast = fastAlpha * close + (1 - fastAlpha) * fast
        slow = slowAlpha * close + (1 - slowAlpha) * slow
        if previousFast <= previousSlow && fast > slow {
            return Signal(symbol: symbol, side: .long, confidence: nil, time: closeTime, source: Self.name)
        }
        if previousFast >= previousSlow && fast < slow {
            return Signal(symbol: symbol, side: .short, confidence: nil, time: closeTime, source: Self.name)
        }
        return nil
    }
}
