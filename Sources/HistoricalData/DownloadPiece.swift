import TradingModel

/// One unit of fetching: an archive file or a REST range, for one symbol and dataset.
public struct DownloadPiece: Sendable, Hashable, CustomStringConvertible {
    public enum Source: Sendable, Hashable {
        case archive(ArchivePeriod)
        /// REST rows with time in `[fromMilliseconds, toMilliseconds)`.
        case rest(fromMilliseconds: Int64, toMilliseconds: Int64)
    }

    public var symbol: Symbol
    public var dataset: ArchiveDataset
    public var source: Source

    /// Start of the piece's time span (orders the pieces of a dataset).
    var startMilliseconds: Int64 {
        switch source {
        case .archive(.month(let month)): month.firstDay.startMilliseconds
        case .archive(.day(let day)): day.startMilliseconds
        case .rest(let from, _): from
        }
    }

    public var description: String {
        switch source {
        case .archive(let period): "\(symbol.name) \(dataset) \(period) (archive)"
        case .rest(let from, let to):
            "\(symbol.name) \(dataset) \(Timestamp(milliseconds: from).iso8601)…\(Timestamp(milliseconds: to).iso8601) (REST)"
        }
    }
}
