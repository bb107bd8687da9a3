import TradingModel

/// Keeps the market context (a reference symbol or a basket) up to date from the candles of
/// all symbols, and answers "what was the context at the close of minute t". Features at a bar
/// close use the context of the previous minute, so the answer never depends on the order in
/// which symbols' candles of the same minute arrive.
public struct MarketContextTracker: Sendable {
    public let source: MarketContextSource
    private var engine = MarketContextEngine()
    private var basket: BasketIndex?
    private var recent: [MarketContextSnapshot] = []

    public init(source: MarketContextSource) {
        self.source = source
        if case let .basket(symbols) = source { basket = BasketIndex(members: symbols) }
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
        engine.onCandle(candle)
        guard let snapshot = engine.snapshot else { return }
        recent.append(snapshot)
        if recent.count > 4 { recent.removeFirst() }
    }
}
