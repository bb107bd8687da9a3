import TradingModel

/// `Instrument`s for the symbols bundled in `data/`, for backtests (overridable in the config).
///
/// Sources:
/// - BTCUSDT, LINKUSDT, ATOMUSDT filters: Binance `GET /fapi/v1/exchangeInfo`, recorded 2024 in
///   `reference/binance-usdm/fixtures/rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json`.
/// - FILUSDT, NEARUSDT, ALGOUSDT, AVAXUSDT, DOTUSDT, LTCUSDT, XRPUSDT: APPROXIMATIONS (no recorded
///   exchangeInfo offline): tick and step as Binance listed them in 2024 to our knowledge, min
///   notional 5 USDT. Verify against live exchangeInfo before trading.
/// - Margin brackets: APPROXIMATIONS of Binance's `leverageBracket` ladders (not in the fixtures):
///   BTC-like for BTCUSDT, a generic altcoin ladder for the others. `cum` is derived so tiered
///   margin is continuous: `cum_n = cum_{n−1} + floor_n × (MMR_n − MMR_{n−1})`.
public enum BundledInstruments {
    /// Every bundled symbol.
    public static let all: [Instrument] = [
        make("BTCUSDT", "BTC", tick: "0.10", minPrice: "556.80", maxPrice: "4529764", step: "0.001", minQty: "0.001", maxQty: "1000",
             marketMaxQty: "120", minNotional: "100", brackets: btcBrackets),
        make("LINKUSDT", "LINK", tick: "0.001", minPrice: "0.464", maxPrice: "100000", step: "0.01", minQty: "0.01", maxQty: "200000",
             marketMaxQty: "20000", minNotional: "20", brackets: altBrackets),
        make("ATOMUSDT", "ATOM", tick: "0.001", minPrice: "0.251", maxPrice: "100000", step: "0.01", minQty: "0.01", maxQty: "100000",
             marketMaxQty: "20000", minNotional: "5", brackets: altBrackets),
        make("FILUSDT", "FIL", tick: "0.001", step: "0.1", minQty: "0.1", maxQty: "1000000", minNotional: "5", brackets: altBrackets),
        make("NEARUSDT", "NEAR", tick: "0.001", step: "1", minQty: "1", maxQty: "1000000", minNotional: "5", brackets: altBrackets),
        make("ALGOUSDT", "ALGO", tick: "0.0001", step: "0.1", minQty: "0.1", maxQty: "10000000", minNotional: "5", brackets: altBrackets),
        make("AVAXUSDT", "AVAX", tick: "0.001", step: "1", minQty: "1", maxQty: "1000000", minNotional: "5", brackets: altBrackets),
        make("DOTUSDT", "DOT", tick: "0.001", step: "0.1", minQty: "0.1", maxQty: "1000000", minNotional: "5", brackets: altBrackets),
        make("LTCUSDT", "LTC", tick: "0.01", step: "0.001", minQty: "0.001", maxQty: "100000", minNotional: "5", brackets: altBrackets),
        make("XRPUSDT", "XRP", tick: "0.0001", step: "0.1", minQty: "0.1", maxQty: "10000000", minNotional: "5", brackets: altBrackets),
    ]

    /// The bundled instrument for `symbol`, if any.
    public static func instrument(_ symbol: Symbol) -> Instrument? { all.first { $0.symbol == symbol } }

    /// (notional cap, MMR, cum, max leverage); floors are the previous cap.
    static let btcBrackets: [(String, String, String, Int)] = [
        ("50000", "0.004", "0", 125), ("500000", "0.005", "50", 100), ("8000000", "0.01", "2550", 50),
        ("50000000", "0.025", "122550", 20), ("80000000", "0.05", "1372550", 10), ("90000000000", "0.1", "5372550", 5),
    ]
    static let altBrackets: [(String, String, String, Int)] = [
        ("5000", "0.01", "0", 50), ("25000", "0.025", "75", 20), ("100000", "0.05", "700", 10), ("250000", "0.1", "5700", 5),
        ("1000000", "0.125", "11950", 4), ("5000000", "0.25", "136950", 2), ("90000000000", "0.5", "1386950", 1),
    ]

    static func make(_ symbol: String, _ base: String, tick: String, minPrice: String = "0", maxPrice: String = "0", step: String,
                     minQty: String, maxQty: String, marketMaxQty: String? = nil, minNotional: String,
                     brackets: [(String, String, String, Int)]) -> Instrument {
        var floor = Money.zero
        let tiers = brackets.map { cap, rate, cum, leverage -> MarginBracket in
            let bracket = MarginBracket(notionalFloor: floor, notionalCap: Money(cap)!, maintenanceMarginRate: Rate(rate)!,
                                        maintenanceAmount: Money(cum)!, maxLeverage: leverage)
            floor = Money(cap)!
            return bracket
        }
        return Instrument(symbol: Symbol(symbol)!, baseAsset: base, tickSize: Price(tick)!, minPrice: Price(minPrice)!,
                          maxPrice: Price(maxPrice)!, stepSize: Quantity(step)!, minQuantity: Quantity(minQty)!,
                          maxQuantity: Quantity(maxQty)!, marketMaxQuantity: marketMaxQty.map { Quantity($0)! },
                          minNotional: Money(minNotional)!, marginBrackets: tiers)
    }
}
