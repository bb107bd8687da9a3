import TradingEngine
import TradingModel

/// Tunables of the live runtime. Defaults are the values `qt paper` / `qt live` use.
public struct LiveRuntimeSettings: Sendable, Hashable {
    /// Up to 5 characters: entry ids are `qt-<runTag>-<n>-en`.
    public var runTag: String
    /// The stream whose prices are the kernel's price events (mark price or trades); closed
    /// candles only close bars.
    public var priceSource: PriceEvent.Source
    /// A market event whose venue time is older than this when it arrives is stale: entries of
    /// the symbol are blocked until fresh data arrives (default 5 s).
    public var maxMarketDataLag: Duration
    /// No price event (the price-driving stream: mark price or trades) of a symbol for this long,
    /// checked on timer ticks, is stale too and forces a market-stream reconnect (default 30 s).
    public var maxMarketDataSilence: Duration
    /// No closed kline of a symbol for this long (checked on timer ticks) is stale and forces a
    /// reconnect (default 150 s: two and a half 1 m bars).
    public var maxKlineSilence: Duration = .seconds(150)
    public var watchdog: Watchdog.Settings
    /// A close request (`qt close`) whose positions are not flat this long after it was picked
    /// up is resolved `failed` (the exit owners keep retrying; default 30 s).
    public var closeRequestTimeout: Duration
    /// A close request older than this when a runtime first sees it is resolved `failed`
    /// (expired), so a request left from an earlier session never closes a new one's positions
    /// (default 5 min).
    public var closeRequestMaxAge: Duration
    /// The watchdog learns the venue's positions (`.venuePosition`: the positions read at each
    /// reconciliation, then every position report and liquidation on the user-data stream) and
    /// force-closes one that no exit owner reports for `missingBackstopAfter`. On under the exit
    /// engine (its owners report statuses; `RuntimeParts.makeRuntime` sets it); off for owners
    /// that report none (the reference bracket), which the watchdog would take for missing.
    public var watchVenuePositions: Bool = false
    /// How long the booked position of a symbol may differ from the venue's position report
    /// before the runtime reconciles (default 3 s: the fill and the position report of one
    /// execution may arrive in either order, and not at once).
    public var divergenceGrace: Duration = .seconds(3)
    /// An order of unknown outcome that the venue says it does not know is concluded "never
    /// placed" only when it is still unknown this long after the first such answer and a
    /// reconciliation has run since (default 10 s).
    public var unknownOrderWindow: Duration = .seconds(10)

    public init(runTag: String, priceSource: PriceEvent.Source, maxMarketDataLag: Duration = .seconds(5),
                maxMarketDataSilence: Duration = .seconds(30), watchdog: Watchdog.Settings = Watchdog.Settings(),
                closeRequestTimeout: Duration = .seconds(30), closeRequestMaxAge: Duration = .seconds(300)) {
        self.runTag = runTag
        self.priceSource = priceSource
        self.maxMarketDataLag = maxMarketDataLag
        self.maxMarketDataSilence = maxMarketDataSilence
        self.watchdog = watchdog
        self.closeRequestTimeout = closeRequestTimeout
        self.closeRequestMaxAge = closeRequestMaxAge
    }
}
