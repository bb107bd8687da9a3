import TradingModel

/// Keeps the market context (a reference symbol or a basket) up to date from the candles of
/// all symbols, and answers "what was the context at the close of minute t". Features at a bar
/// close use the context of the previous minute, so the answer never depends on the order in
/// which symbols' candles of the same minute arrive.
///
/// With `restartsAtGaps` a gap in the context's minutes (the reference symbol's, or minutes no
/// basket member reported) restarts the context engine: no snapshot until it is warm again
/// (`isRewarming(at:)`), rather than returns spanning the gap.
public struct MarketContextTracker: Sendable {
    public let source: MarketContextSource
    public let restartsAtGaps: Bool
    private var engine = MarketContextEngine()
    private var basket: BasketIndex?
    private var recent: [MarketContextSnapshot] = []
    /// The open time of the first context minute after the last gap (a restart).
    private var restartedAt: Timestamp?
    /// The time of the first snapshot after that restart.
    private var firstSnapshotAfterRestart: Timestamp?

    public init(source: MarketContextSource, restartsAtGaps: Bool = false) {
        self.source = source
        self.restartsAtGaps = restartsAtGaps
        if case let .basket(symbols) = source { basket = BasketIndex(members: symbols) }
    }

    /// Whether the context at `closeTime` falls between a restart at a gap and the first
    /// snapshot after it (false before any restart).
    public func isRewarming(at closeTime: Timestamp) -> Bool {
        guard let restartedAt, closeTime >= restartedAt else { return false }
        guard let firstSnapshotAfterRestart else { return true }
        return closeTime < firstSnapshotAfterRestart
    }

    public mutating func onCandle(_ candle: Candle, symbol: Symbol) {
        switch source {
        case let .symbol(reference):
            if symbol == reference { feed(candle) }
        case .basket:
            guard var index = basket else { return }
            let completed = index.onCandle(candle, symbol: symbol)
            basket = index
            for basketCandle in completed { feed(basketCandle) }
        }
    }

    /// The context snapshot for the bar that closes at `closeTime`, if known.
    public func snapshot(closingAt closeTime: Timestamp) -> MarketContextSnapshot? {
        recent.last { $0.time == closeTime }
    }

    private mutating func feed(_ candle: Candle) {
        if restartsAtGaps, let lastClose = engine.lastCloseTime, candle.openTime > lastClose {
            engine = MarketContextEngine()
            recent.removeAll()
            restartedAt = candle.openTime
            firstSnapshotAfterRestart = nil
        }
        engine.onCandle(candle)
        guard let snapshot = engine.snapshot else { return }
        if restartedAt != nil && firstSnapshotAfterRestart == nil { firstSnapshotAfterRestart = snapshot.time }
        recent.append(snapshot)
        if recent.count > 4 { recent.removeFirst() }
    }
}
