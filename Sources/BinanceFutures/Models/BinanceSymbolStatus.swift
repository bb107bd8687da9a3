import TradingModel

/// A symbol's instrument and listing after reading `exchangeInfo`: qt trades only perpetuals
/// whose status is `TRADING`.
public struct BinanceSymbolStatus: Sendable, Hashable {
    public var symbol: Symbol
    /// The instrument with the filters just read; nil when the symbol is not listed or its
    /// filters are unreadable (the last good instrument stays in use for protective orders).
    public var instrument: Instrument?
    /// `TRADING`, `PENDING_TRADING`, `BREAK`, `SETTLING`, `CLOSE`…, or `NOT_LISTED`.
    public var status: String
    /// `PERPETUAL`, `CURRENT_QUARTER`, …; nil when not published.
    public var contractType: String?
    /// Why the filters could not be read, when they could not.
    public var problem: String?

    public init(symbol: Symbol, instrument: Instrument?, status: String, contractType: String?, problem: String? = nil) {
        self.symbol = symbol
        self.instrument = instrument
        self.status = status
        self.contractType = contractType
        self.problem = problem
    }

    /// New entries may be sent: a `TRADING` perpetual with readable filters.
    public var isTradable: Bool { status == "TRADING" && contractType == "PERPETUAL" && instrument != nil }

    /// Why new entries may not be sent (nil when they may).
    public var refusal: String? {
        if status == "NOT_LISTED" { return "\(symbol) is not listed in the venue's exchangeInfo" }
        if contractType != "PERPETUAL" { return "\(symbol) is not a perpetual (contractType \(contractType ?? "not published")); qt trades perpetuals only" }
        if status != "TRADING" { return "\(symbol) is not trading at the venue (status \(status))" }
        if instrument == nil { return "\(symbol): the venue's filters cannot be read (\(problem ?? "unknown"))" }
        return nil
    }
}
