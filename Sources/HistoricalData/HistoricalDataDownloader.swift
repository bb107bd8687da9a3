import AsyncHTTPClient
import CandleData
import Foundation
import NIOCore
import TradingModel

/// `qt data download`: fetches archive zips (verified against their `.CHECKSUM`) and REST ranges
/// for every symbol and dataset, at most `concurrency` at a time, then writes one
/// `SYMBOL-INTERVAL-FROM_TO.csv.gz` per symbol and dataset and validates it with `qt`'s reader.
///
/// A failure stops the run with the first error; the verified zips stay in the cache and a
/// `.part` keeps an interrupted download's bytes, so running the same command again continues
/// where it stopped. An output file is written under a temporary name and renamed only once it
/// validates: nothing half-written is left under a name `qt` reads.
public struct HistoricalDataDownloader: Sendable {
    public let settings: DownloadSettings

    public init(settings: DownloadSettings) { self.settings = settings }

    public func run(_ request: DownloadRequest, now: Timestamp,
                    progress: @escaping @Sendable (DownloadProgress) -> Void = { _ in }) async throws(HistoricalDataError) -> DownloadReport {
        guard !request.symbols.isEmpty, !request.datasets.isEmpty else {
            throw HistoricalDataError(.invalidRequest, source: "request", detail: "no symbol or no dataset")
        }
        guard request.from <= request.to else {
            throw HistoricalDataError(.invalidRequest, source: "request", detail: "--from \(request.from) is after --to \(request.to)")
        }
        guard request.from <= CalendarDay(containing: now) else {
            throw HistoricalDataError(.invalidRequest, source: "request", detail: "--from \(request.from) is in the future")
        }
        let configuration = HTTPClient.Configuration(
            timeout: .init(connect: Self.timeAmount(settings.connectTimeout), read: Self.timeAmount(settings.readTimeout)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let statistics = DownloadStatistics()
        let http = ArchiveHTTPClient(client: client, retry: settings.retry, statistics: statistics)
        let result: Result<DownloadReport, HistoricalDataError>
        do {
            result = .success(try await download(request, now: now, http: http, progress: progress))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return try result.get()
    }

    private enum PieceResult: Sendable {
        case zip(String)
        case rows([ArchiveRowConverter.Row])
        case missing
    }

    private func download(_ request: DownloadRequest, now: Timestamp, http: ArchiveHTTPClient,
                          progress: @escaping @Sendable (DownloadProgress) -> Void) async throws(HistoricalDataError) -> DownloadReport {
        let planner = DownloadPlanner(now: now, restFallbackDays: settings.restFallbackDays)
        let fetcher = ArchiveFetcher(http: http, layout: ArchiveLayout(baseURL: settings.archiveBaseURL), cacheDirectory: request.cacheDirectory)
        var baseURL = settings.restBaseURL
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        let rest = RESTHistoryClient(http: http, baseURL: baseURL)

        var queue: [DownloadPiece] = []
        for symbol in request.symbols {
            for dataset in request.datasets {
                queue += planner.pieces(symbol: symbol, dataset: dataset, from: request.from, to: request.to)
            }
        }
        var results: [DownloadPiece: PieceResult] = [:]
        var missing: [DownloadPiece] = []
        var total = queue.count
        var done = 0
        let width = max(1, settings.concurrency)

        do {
            try await withThrowingTaskGroup(of: (DownloadPiece, PieceResult).self) { group in
                var running = 0
                var next = 0
                func startMore() {
                    while running < width && next < queue.count {
                        let piece = queue[next]
                        next += 1
                        running += 1
                        group.addTask {
                            (piece, try await Self.fetch(piece, fetcher: fetcher, rest: rest, now: now))
                        }
                    }
                }
                startMore()
                while let (piece, result) = try await group.next() {
                    running -= 1
                    done += 1
                    if case .missing = result {
                        let replacements = planner.fallback(for: piece, from: request.from, to: request.to)
                        if replacements.isEmpty { missing.append(piece) }
                        queue += replacements
                        total += replacements.count
                    } else {
                        results[piece] = result
                    }
                    progress(DownloadProgress(piecesDone: done, piecesTotal: total,
                                              downloadedBytes: http.statistics.snapshot.downloadedBytes, lastPiece: piece.description))
                    startMore()
                }
            }
        } catch let error as HistoricalDataError {
            throw error
        } catch {
            throw HistoricalDataError(.io, source: "download", detail: "stopped: \(error)")
        }

        var outcomes: [DatasetOutcome] = []
        for symbol in request.symbols {
            for dataset in request.datasets {
                let pieces = results.keys.filter { $0.symbol == symbol && $0.dataset == dataset }.sorted { $0.startMilliseconds < $1.startMilliseconds }
                let writer = DatasetFileWriter(symbol: symbol, dataset: dataset, outputDirectory: request.outputDirectory,
                                               fromMilliseconds: request.from.startMilliseconds,
                                               toMilliseconds: min(request.to.endMilliseconds, now.milliseconds), now: now.milliseconds)
                var outcome = try writer.write(pieces.map { piece in
                    switch results[piece] {
                    case .zip(let path): .zip(path)
                    case .rows(let rows): .rows(rows)
                    default: .rows([])
                    }
                })
                outcome.missingPeriods = missing.filter { $0.symbol == symbol && $0.dataset == dataset }
                    .sorted { $0.startMilliseconds < $1.startMilliseconds }
                    .map { piece in if case .archive(let period) = piece.source { period.description } else { piece.description } }
                outcome.archiveFiles = pieces.filter { if case .archive = $0.source { true } else { false } }.count
                outcome.restRanges = pieces.count - outcome.archiveFiles
                outcomes.append(outcome)
            }
        }
        return DownloadReport(datasets: outcomes, statistics: http.statistics.snapshot)
    }

    private static func fetch(_ piece: DownloadPiece, fetcher: ArchiveFetcher, rest: RESTHistoryClient,
                              now: Timestamp) async throws(HistoricalDataError) -> PieceResult {
        switch piece.source {
        case .archive(let period):
            let path = fetcher.layout.path(symbol: piece.symbol, dataset: piece.dataset, period: period)
            switch try await fetcher.fetch(path: path) {
            case .available(let zipPath): return .zip(zipPath)
            case .missing: return .missing
            }
        case .rest(let from, let to):
            guard from < to else { return .rows([]) }
            return .rows(try await rest.rows(symbol: piece.symbol, dataset: piece.dataset, fromMilliseconds: from,
                                             toMilliseconds: to, now: now.milliseconds))
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
