import TradingModel

/// Where the market-context features come from.
public enum MarketContextSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One reference symbol (BTCUSDT).
    case symbol(Symbol)
    /// Equal-weighted basket of these symbols (mean one-minute log return).
    case basket([Symbol])

    public var members: [Symbol] {
        switch self {
        case let .symbol(symbol): [symbol]
        case let .basket(symbols): symbols
        }
    }

    public var description: String {
        switch self {
        case let .symbol(symbol): symbol.name
        case let .basket(symbols): "basket(\(symbols.map(\.name).joined(separator: ",")))"
        }
    }
}
