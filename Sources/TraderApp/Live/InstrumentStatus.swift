import TradingModel

/// A traded symbol after the venue's listing was read again (`qt live` refreshes it during the
/// session): its current filters, and whether new entries may be sent.
public struct InstrumentStatus: Sendable, Hashable {
    public var symbol: Symbol
    /// The filters just read; nil: unreadable, the current instrument stays.
    public var instrument: Instrument?
    /// Why new entries may not be sent (the symbol left `TRADING`, is no longer listed, its
    /// filters cannot be read); nil: they may.
    public var entryRefusal: String?

    public init(symbol: Symbol, instrument: Instrument?, entryRefusal: String?) {
        self.symbol = symbol
        self.instrument = instrument
        self.entryRefusal = entryRefusal
    }
}
