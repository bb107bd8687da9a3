import CandleData

/// What to download for a symbol: trade klines, mark-price klines or funding rates.
public enum ArchiveDataset: Sendable, Hashable, CustomStringConvertible {
    case klines(CandleInterval)
    case markPriceKlines(CandleInterval)
    case fundingRate

    /// Intervals the archive publishes (Binance's labels; `1M` is not offered here).
    public static let archiveIntervals = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"]

    /// The archive folder name (`klines`, `markPriceKlines`, `fundingRate`).
    var archiveFolder: String {
        switch self {
        case .klines: "klines"
        case .markPriceKlines: "markPriceKlines"
        case .fundingRate: "fundingRate"
        }
    }

    /// The bar interval of kline datasets.
    public var interval: CandleInterval? {
        switch self {
        case .klines(let interval), .markPriceKlines(let interval): interval
        case .fundingRate: nil
        }
    }

    /// The archive publishes funding rates monthly only (no daily files).
    var hasDailyFiles: Bool { self != .fundingRate }

    /// The REST endpoint for the latest days.
    var restPath: String {
        switch self {
        case .klines: "/fapi/v1/klines"
        case .markPriceKlines: "/fapi/v1/markPriceKlines"
        case .fundingRate: "/fapi/v1/fundingRate"
        }
    }

    public var description: String {
        switch self {
        case .klines(let interval): "klines \(interval.label)"
        case .markPriceKlines(let interval): "mark-price klines \(interval.label)"
        case .fundingRate: "funding rates"
        }
    }
}
