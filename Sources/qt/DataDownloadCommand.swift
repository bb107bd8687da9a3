import ArgumentParser
import CandleData
import Foundation
import HistoricalData
import TraderApp
import TradingModel

/// `qt data download`: Binance USDⓈ-M klines, mark-price klines and funding rates for symbols
/// and a date range, from the public data archive (verified against `.CHECKSUM`) and REST for
/// the latest days, written as the files `qt` reads.
struct DataDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download Binance USD-M klines, mark-price klines and funding rates (archive + REST) as qt data files.",
        discussion: """
        Months before the current one come from the archive's monthly zips, the current month's days \
        from its daily zips, today from REST (closed bars only). Every zip is checked against its \
        .CHECKSUM (SHA-256); a mismatch is fetched again, then refused. Verified zips stay in the \
        cache folder and interrupted downloads are continued, so running the same command again \
        resumes. Files: OUT/SYMBOL-INTERVAL-FROM_TO.csv.gz, OUT/SYMBOL-funding-FROM_TO.csv.gz, \
        OUT/mark-price/SYMBOL-INTERVAL-FROM_TO.csv.gz. Gaps are reported (and by `qt data inspect`).
        """
    )

    @Option(name: .long, help: "Symbols, comma-separated (LINKUSDT,FILUSDT).")
    var symbols: String

    @Option(name: .long, help: "First UTC day, YYYY-MM-DD.")
    var from: String

    @Option(name: .long, help: "Last UTC day, YYYY-MM-DD, inclusive (default: today).")
    var to: String?

    @Option(name: .long, help: "Kline interval: \(ArchiveDataset.archiveIntervals.joined(separator: ", ")).")
    var interval = "1m"

    @Option(name: .long, help: "What to download, comma-separated: klines, mark-price, funding.")
    var datasets = "klines"

    @Option(name: .long, help: "Output folder.")
    var out = "data/downloads"

    @Option(name: .long, help: "Cache folder for verified archive zips (default: OUT/.archive-cache).")
    var cache: String?

    @Option(name: .long, help: "Base URL of the public data archive.")
    var archiveURL = "https://data.binance.vision"

    @Option(name: .long, help: "Base URL of the USD-M futures REST API (latest days).")
    var restURL = "https://fapi.binance.com"

    @Option(name: .long, help: "Files fetched at the same time (1-16).")
    var concurrency = 4

    func validate() throws {
        guard ArchiveDataset.archiveIntervals.contains(interval) else {
            throw ValidationError("--interval \(interval): not one the archive has (\(ArchiveDataset.archiveIntervals.joined(separator: ", ")))")
        }
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16") }
        guard CalendarDay(from) != nil else { throw ValidationError("--from \(from): expected a day YYYY-MM-DD") }
        if let to, CalendarDay(to) == nil { throw ValidationError("--to \(to): expected a day YYYY-MM-DD") }
        _ = try parsedSymbols()
        _ = try parsedDatasets()
        for (name, url) in [("--archive-url", archiveURL), ("--rest-url", restURL)] {
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw ValidationError("\(name) \(url): expected an http(s):// URL")
            }
        }
    }

    func run() async throws {
        let now = SystemClock().now
        let request = DownloadRequest(
            symbols: try parsedSymbols(), datasets: try parsedDatasets(), from: CalendarDay(from)!,
            to: to.flatMap(CalendarDay.init) ?? CalendarDay(containing: now), outputDirectory: out, cacheDirectory: cache)
        var settings = DownloadSettings()
        settings.archiveBaseURL = archiveURL
        settings.restBaseURL = restURL
        settings.concurrency = concurrency
        let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        let report: DownloadReport
        do {
            report = try await HistoricalDataDownloader(settings: settings).run(request, now: now) { progress in
                bar.update(progress.piecesDone, progress.piecesTotal,
                           "\(Self.megabytes(progress.downloadedBytes)) MB  \(progress.lastPiece)")
            }
        } catch {
            bar.finish("download stopped")
            FileHandle.standardError.write(Data("qt data download: \(error)\n(verified files are kept in the cache; run the same command again to resume)\n".utf8))
            throw ExitCode.failure
        }
        bar.finish("download done")
        for outcome in report.datasets { for line in Self.lines(outcome) { print(line) } }
        let stats = report.statistics
        print("fetched \(Self.megabytes(stats.downloadedBytes)) MB in \(stats.requests) requests: \(stats.retries) retried, "
              + "\(stats.resumedBytes) bytes resumed, \(stats.checksumRefetches) refetched after a checksum mismatch, "
              + "\(stats.cachedFiles) taken from the verified cache")
    }

    static func lines(_ outcome: DatasetOutcome) -> [String] {
        var lines: [String] = []
        let name = "\(outcome.symbol.name) \(outcome.dataset)"
        guard let path = outcome.outputPath, let first = outcome.firstTime, let last = outcome.lastTime else {
            lines.append("\(name): no data in the range")
            if !outcome.missingPeriods.isEmpty { lines.append("  not in the archive: \(outcome.missingPeriods.joined(separator: ", "))") }
            return lines
        }
        lines.append("\(name): \(path)")
        lines.append("  \(outcome.rows) rows, \(first.iso8601) … \(last.iso8601) (\(outcome.archiveFiles) archive files, \(outcome.restRanges) REST ranges)")
        if !outcome.missingPeriods.isEmpty { lines.append("  not in the archive: \(outcome.missingPeriods.joined(separator: ", "))") }
        if outcome.gaps.isEmpty {
            if outcome.dataset != .fundingRate { lines.append("  gaps: none") }
        } else {
            let bars = outcome.gaps.reduce(Int64(0)) { $0 + $1.missingBarCount }
            lines.append("  gaps: \(outcome.gaps.count) (\(bars) missing bars); list them with: qt data inspect \(path)")
        }
        return lines
    }

    private func parsedSymbols() throws -> [Symbol] {
        let names = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ValidationError("--symbols: give at least one symbol") }
        return try names.map { name in
            guard let symbol = Symbol(name) else { throw ValidationError("--symbols: '\(name)' is not a symbol") }
            return symbol
        }
    }

    private func parsedDatasets() throws -> [ArchiveDataset] {
        let kline = CandleInterval(label: interval) ?? .oneMinute
        return try datasets.split(separator: ",").map { item in
            switch item.trimmingCharacters(in: .whitespaces) {
            case "klines": .klines(kline)
            case "mark-price": .markPriceKlines(kline)
            case "funding": .fundingRate
            default: throw ValidationError("--datasets: '\(item)' is not one of klines, mark-price, funding")
            }
        }
    }

    private static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}
