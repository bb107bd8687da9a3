import TradingModel

/// A market stream subscription. Names use lower-case symbols (`btcusdt@markPrice@1s`).
public enum BinanceStream: Sendable, Hashable {
    case markPrice1s(Symbol)
    case aggregateTrades(Symbol)
    /// `interval` as Binance writes it (`1m`).
    case klines(Symbol, interval: String)
    case bookTicker(Symbol)

    public var name: String {
        switch self {
        case .markPrice1s(let symbol): "\(symbol.name.lowercased())@markPrice@1s"
        case .aggregateTrades(let symbol): "\(symbol.name.lowercased())@aggTrade"
        case .klines(let symbol, let interval): "\(symbol.name.lowercased())@kline_\(interval)"
        case .bookTicker(let symbol): "\(symbol.name.lowercased())@bookTicker"
        }
    }

    /// Since the 2026 split, book streams live on `/public`, everything else on `/market`.
    public var route: Route { self.isBook ? .public : .market }

    var isBook: Bool { if case .bookTicker = self { true } else { false } }

    public enum Route: String, Sendable, Hashable {
        case market, `public`
    }

    /// The streams the engine needs for `symbol`: mark price 1 s, aggregate trades, 1 m klines, book ticker.
    public static func standard(for symbol: Symbol) -> [BinanceStream] {
        [.markPrice1s(symbol), .aggregateTrades(symbol), .klines(symbol, interval: "1m"), .bookTicker(symbol)]
    }
}

/// Builds WebSocket URLs for the routed USD-M stream hosts (`/market`, `/public`, `/private`).
/// The base is configuration (`wss://fstream.binance.com`, testnet, or a local venue).
public struct BinanceStreamURLs: Sendable, Hashable {
    public var base: String
    /// Streams per connection; Binance allows 1024, we stay well below.
    public var maximumStreamsPerConnection: Int

    public init(base: String = "wss://fstream.binance.com", maximumStreamsPerConnection: Int = 200) {
        precondition(maximumStreamsPerConnection > 0, "at least one stream per connection")
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.maximumStreamsPerConnection = maximumStreamsPerConnection
    }

    /// Combined-stream URLs (`/<route>/stream?streams=a/b`), grouped by route and split into
    /// chunks of at most `maximumStreamsPerConnection`; duplicates removed, order kept.
    public func combinedStreamURLs(_ streams: [BinanceStream]) -> [String] {
        var seen: Set<BinanceStream> = []
        let unique = streams.filter { seen.insert($0).inserted }
        var urls: [String] = []
        for route in [BinanceStream.Route.market, .public] {
            let names = unique.filter { $0.route == route }.map(\.name)
            var start = 0
            while start < names.count {
                let chunk = names[start..<min(start + maximumStreamsPerConnection, names.count)]
                urls.append("\(base)/\(route.rawValue)/stream?streams=\(chunk.joined(separator: "/"))")
                start += maximumStreamsPerConnection
            }
        }
        return urls
    }

    /// The user-data URL for a listen key: `/private/ws?listenKey=<key>`.
    public func userDataURL(listenKey: String) -> String {
        "\(base)/private/ws?listenKey=\(QueryString.percentEncode(listenKey))"
    }
}
