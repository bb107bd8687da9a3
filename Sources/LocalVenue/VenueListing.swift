import TradingModel

/// How a symbol is listed at the venue: the filters it publishes in `exchangeInfo` (and
/// enforces on new orders), its status and its contract type. Tests change them mid-session
/// (`VenueController.list`) to play a tick change, a trading halt or a delisting.
public struct VenueListing: Sendable, Hashable {
    /// The published filters (tick, step, bounds, minimum notional).
    public var instrument: Instrument
    /// `TRADING`, `BREAK`, `SETTLING`, `CLOSE`, `PENDING_TRADING`, …
    public var status: String
    /// `PERPETUAL`, `CURRENT_QUARTER`, …
    public var contractType: String

    public init(instrument: Instrument, status: String = "TRADING", contractType: String = "PERPETUAL") {
        self.instrument = instrument
        self.status = status
        self.contractType = contractType
    }
}

extension VenueEngine {
    /// Refuses a new order the listing does not allow, as Binance does: a symbol that is not
    /// `TRADING` takes only reduce-only and close-position orders (`-4140`), and prices,
    /// triggers and quantities must be on the published grid (`-4014`, `-4023`).
    func checkListing(symbol: Symbol, price: Price?, trigger: Price?, quantity: Quantity?, market: Bool,
                      protective: Bool) throws(VenueError) {
        guard let listing = listings[symbol] else { return }
        if listing.status != "TRADING" && !protective {
            throw VenueError(code: -4140, message: "Invalid symbol status for opening position.")
        }
        let instrument = listing.instrument
        for value in [price, trigger].compactMap({ $0 }) where !(value - instrument.minPrice).isMultiple(of: instrument.tickSize) {
            throw VenueError(code: -4014, message: "Price not increased by tick size.")
        }
        if let quantity, !quantity.isMultiple(of: market ? instrument.marketStepSize : instrument.stepSize) {
            throw VenueError(code: -4023, message: "Quantity not increased by step size.")
        }
    }
}
