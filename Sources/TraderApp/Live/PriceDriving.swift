import Backtest
import TradingEngine

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
