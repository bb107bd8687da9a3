import TradingModel
import CandleData

/// Where Binance's public data archive keeps USDⓈ-M futures files:
/// `<base>/data/futures/um/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01.zip` (+ `.CHECKSUM`),
/// `…/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-02-05.zip`,
/// `…/monthly/markPriceKlines/BTCUSDT/1m/BTCUSDT-1m-2024-01.zip`,
/// `…/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-01.zip` (monthly only).
public struct ArchiveLayout: Sendable {
    /// `https://data.binance.vision` unless configured otherwise; no trailing slash.
    public let baseURL: String

    public init(baseURL: String) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
    }

    /// Path of a file below the base URL (also its place in the local cache).
    public func path(symbol: Symbol, dataset: ArchiveDataset, period: ArchivePeriod) -> String {
        let frequency: String
        let stamp: String
        switch period {
        case .month(let month): frequency = "monthly"; stamp = month.description
        case .day(let day): frequency = "daily"; stamp = day.description
        }
        let name: String
        var folder = "data/futures/um/\(frequency)/\(dataset.archiveFolder)/\(symbol.name)"
        if let interval = dataset.interval {
            folder += "/\(interval.label)"
            name = "\(symbol.name)-\(interval.label)-\(stamp).zip"
        } else {
            name = "\(symbol.name)-fundingRate-\(stamp).zip"
        }
        return folder + "/" + name
    }

    public func url(forPath path: String) -> String { baseURL + "/" + path }
}

/// One archive file's period.
public enum ArchivePeriod: Sendable, Hashable, CustomStringConvertible {
    case month(CalendarMonth)
    case day(CalendarDay)

    public var description: String {
        switch self {
        case .month(let month): month.description
        case .day(let day): day.description
        }
    }
}
