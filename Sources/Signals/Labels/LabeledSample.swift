import TradingModel

/// One training/evaluation row: features at a decision bar close and what happened next.
public struct LabeledSample: Sendable, Hashable {
    public var symbol: Symbol
    /// Decision time (bar close); features use nothing after it.
    public var time: Timestamp
    /// Close time of the last bar the label looked at. [time, endTime] is the label's span,
    /// which purging keeps away from every test window.
    public var endTime: Timestamp
    public var features: [Double]
    public var label: SignalClass
    /// Barrier returns after fees, slippage and funding of a long / a short opened at `time`.
    public var longReturn: Double
    public var shortReturn: Double
    /// When that long / short would have closed (its barrier, or the horizon): one position per
    /// symbol at a time means the next trade of the symbol can open only from then on.
    public var longExitTime: Timestamp
    public var shortExitTime: Timestamp
    /// Log return over the previous decision interval (for the previous-return-sign baseline).
    public var previousReturn: Double

    public init(symbol: Symbol, time: Timestamp, endTime: Timestamp, features: [Double], label: SignalClass,
                longReturn: Double, shortReturn: Double, previousReturn: Double,
                longExitTime: Timestamp? = nil, shortExitTime: Timestamp? = nil) {
        self.symbol = symbol
        self.time = time
        self.endTime = endTime
        self.features = features
        self.label = label
        self.longReturn = longReturn
        self.shortReturn = shortReturn
        self.previousReturn = previousReturn
        self.longExitTime = longExitTime ?? endTime
        self.shortExitTime = shortExitTime ?? endTime
    }

    /// Barrier return after fees of taking `side` here.
    public func realizedReturn(_ side: Side) -> Double { side == .long ? longReturn : shortReturn }

    /// When a position of `side` opened here would have closed.
    public func exitTime(_ side: Side) -> Timestamp { side == .long ? longExitTime : shortExitTime }
}
