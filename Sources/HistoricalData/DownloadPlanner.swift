import TradingModel

/// Decides which archive files and REST ranges cover a date range. Pure: the current time is
/// passed in.
///
/// - Months before the current one: the monthly zip (rows outside the range are dropped later).
/// - The current month up to yesterday: daily zips (the archive publishes a day the next day).
/// - Today up to `now`: REST (closed bars only).
/// - Funding rates have monthly zips only: the current month comes from REST.
///
/// When a file is missing (404): a recent monthly file (this month or last, not yet published)
/// is replaced by its daily files, or by REST for funding; a daily file of the last
/// `restFallbackDays` days by REST for that day. Anything older stays missing and shows as a gap.
public struct DownloadPlanner: Sendable {
    public var now: Timestamp
    public var restFallbackDays: Int64

    public init(now: Timestamp, restFallbackDays: Int64 = 3) {
        self.now = now
        self.restFallbackDays = restFallbackDays
    }

    var today: CalendarDay { CalendarDay(containing: now) }

    /// The pieces for one symbol and dataset over `from…to` (inclusive days, `to` cut to today).
    public func pieces(symbol: Symbol, dataset: ArchiveDataset, from: CalendarDay, to: CalendarDay) -> [DownloadPiece] {
        let last = min(to, today)
        guard from <= last else { return [] }
        let currentMonth = today.month
        var pieces: [DownloadPiece] = []
        var month = from.month
        while month <= last.month {
            if month < currentMonth {
                pieces.append(DownloadPiece(symbol: symbol, dataset: dataset, source: .archive(.month(month))))
            } else if dataset.hasDailyFiles {
                var day = max(from, month.firstDay)
                while day <= min(last, today.adding(days: -1)) {
                    pieces.append(DownloadPiece(symbol: symbol, dataset: dataset, source: .archive(.day(day))))
                    day = day.adding(days: 1)
                }
                if last >= today {
                    pieces.append(DownloadPiece(symbol: symbol, dataset: dataset,
                                                source: .rest(fromMilliseconds: today.startMilliseconds, toMilliseconds: now.milliseconds)))
                }
            } else {
                let start = max(from, month.firstDay).startMilliseconds
                pieces.append(DownloadPiece(symbol: symbol, dataset: dataset,
                                            source: .rest(fromMilliseconds: start, toMilliseconds: min(last.endMilliseconds, now.milliseconds))))
            }
            month = month.next
        }
        return pieces
    }

    /// What replaces a piece the archive does not have; empty when it simply stays missing.
    public func fallback(for piece: DownloadPiece, from: CalendarDay, to: CalendarDay) -> [DownloadPiece] {
        let last = min(to, today)
        switch piece.source {
        case .archive(.month(let month)) where month >= today.month.previous:
            if piece.dataset.hasDailyFiles {
                var pieces: [DownloadPiece] = []
                var day = max(from, month.firstDay)
                while day <= min(last, month.lastDay, today.adding(days: -1)) {
                    pieces.append(DownloadPiece(symbol: piece.symbol, dataset: piece.dataset, source: .archive(.day(day))))
                    day = day.adding(days: 1)
                }
                return pieces
            }
            let start = max(from, month.firstDay).startMilliseconds
            let end = min(min(last, month.lastDay).endMilliseconds, now.milliseconds)
            return [DownloadPiece(symbol: piece.symbol, dataset: piece.dataset, source: .rest(fromMilliseconds: start, toMilliseconds: end))]
        case .archive(.day(let day)) where day >= today.adding(days: -restFallbackDays):
            return [DownloadPiece(symbol: piece.symbol, dataset: piece.dataset,
                                  source: .rest(fromMilliseconds: day.startMilliseconds, toMilliseconds: min(day.endMilliseconds, now.milliseconds)))]
        default:
            return []
        }
    }
}
