import Foundation
@testable import HistoricalData
import Synchronization
import TradingModel

/// Settings pointing at the fake server, a sleeper that records waits and returns at once, and a
/// scratch folder per test.
struct DownloadHarness {
    let server: FakeArchiveServer
    let directory: String
    let waits = Locked<[Duration]>([])
    let progress = Locked<[DownloadProgress]>([])

    init(server: FakeArchiveServer) throws {
        self.server = server
        directory = NSTemporaryDirectory() + "qt-download-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func settings(concurrency: Int = 3, maxAttempts: Int = 6, readTimeout: Duration = .seconds(20)) -> DownloadSettings {
        var settings = DownloadSettings()
        settings.archiveBaseURL = server.baseURL
        settings.restBaseURL = server.baseURL
        settings.concurrency = concurrency
        settings.readTimeout = readTimeout
        let waits = self.waits
        settings.retry = RetryPolicy(maxAttempts: maxAttempts, sleep: { duration in waits.withLock { $0.append(duration) } })
        return settings
    }

    func request(_ symbols: [String], _ datasets: [ArchiveDataset], from: String, to: String) -> DownloadRequest {
        DownloadRequest(symbols: symbols.map { Symbol($0)! }, datasets: datasets, from: CalendarDay(from)!, to: CalendarDay(to)!,
                        outputDirectory: directory + "/out")
    }

    func run(_ request: DownloadRequest, now: String, settings: DownloadSettings? = nil) async throws(HistoricalDataError) -> DownloadReport {
        let progress = self.progress
        return try await HistoricalDataDownloader(settings: settings ?? self.settings())
            .run(request, now: Timestamp(iso8601: now)!, progress: { update in progress.withLock { $0.append(update) } })
    }

    func outputFiles(_ subfolder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/out" + subfolder)) ?? [])
            .filter { $0.hasSuffix(".csv.gz") && !$0.hasPrefix(".") }.sorted()
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}
