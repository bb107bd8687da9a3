import Backtest
import TradingEngine
import TradingModel

/// How the live runtime turns market data into the kernel's price events.
public enum PriceDriving: Sendable, Hashable {
    /// Live streams: mark prices (or trades) of the named source are price events; closed
    /// candles only close bars (`onBar`).
    case streams(PriceEvent.Source)
    /// Replayed candles (paper trading on a file): each candle is walked along the same intrabar
    /// path as the backtest, with a point at every level the exit owner or the venue watches, then
    /// closes its bar. Same data, same engine, same trades as `qt backtest`.
    case barReplay(IntrabarPath)
}

/// Tunables of the live runtime. Defaults are the values `qt paper` / `qt live` use.
public struct LiveRuntimeSettings: Sendable, Hashable {
    /// Up to 5 characters: entry ids are `qt-<runTag>-<n>-en`.
    public var runTag: String
    public var priceDriving: PriceDriving
    /// A market event whose venue time is older than this when it arrives is stale: entries of
    /// the symbol are blocked until fresh data arrives (default 5 s).
    public var maxMarketDataLag: Duration
    /// No market event of a symbol for this long (checked on timer ticks) is stale too (default 30 s).
    public var maxMarketDataSilence: Duration
    public var watchdog: Watchdog.Settings

    public init(runTag: String, priceDriving: PriceDriving, maxMarketDataLag: Duration = .seconds(5),
                maxMarketDataSilence: Duration = .seconds(30), watchdog: Watchdog.Settings = Watchdog.Settings()) {
        self.runTag = runTag
        self.priceDriving = priceDriving
        self.maxMarketDataLag = maxMarketDataLag
        self.maxMarketDataSilence = maxMarketDataSilence
        self.watchdog = watchdog
    }
}

/// The hooks a simulated venue needs from a replay: prices move it (fills, triggers), and a bar
/// path stops at its resting levels. `Backtest.SimulatedExecutionClient` provides them; live
/// venues have none.
public protocol SimulatedVenue: Sendable {
    func onPrice(_ price: Price, symbol: Symbol)
    func settleFunding(symbol: Symbol, rate: Rate, markPrice: Price)
    func nearestLevel(symbol: Symbol, from: Price, to: Price) -> Price?
}

extension SimulatedExecutionClient: SimulatedVenue {}

/// Why the runtime refused to start or stopped trading.
public struct LiveRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
