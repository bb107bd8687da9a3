import CandleData
import Foundation
@testable import HistoricalData
import Testing
import TradingModel

@Suite("qt data download against a fake archive")
struct DownloadTests {
    /// Two past months from the monthly archive (2021 without a header row, 2022 with), the
    /// current month's days from daily files, today from REST: one validated file, no gaps.
    @Test func monthsDaysAndTodayMakeOneValidatedFile() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            for month in [CalendarMonth(year: 2021, month: 12), CalendarMonth(year: 2022, month: 1)] {
                let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "LINKUSDT", month: month)
                server.serve(path, bytes: zip)
            }
            for day in 1...2 {
                let (path, zip) = try ArchiveFixtures.dailyKlines(symbol: "LINKUSDT", day: CalendarDay("2022-02-0\(day)")!)
                server.serve(path, bytes: zip)
            }
            let todayStart = CalendarDay("2022-02-03")!.startMilliseconds
            server.serveKlines(symbol: "LINKUSDT", .init(start: todayStart, count: 1440))

            // 10:30:30 on the 3rd: bars up to 10:29 are closed, the 10:30 bar is still open.
            let report = try await harness.run(harness.request(["LINKUSDT"], [.klines(.oneMinute)], from: "2021-12-01", to: "2022-02-03"),
                                               now: "2022-02-03T10:30:30Z")
            let outcome = try #require(report.datasets.first)
            #expect(harness.outputFiles() == ["LINKUSDT-1m-2021-12-01_2022-02-03.csv.gz"])
            let expectedBars = (31 + 31 + 2) * 1440 + 10 * 60 + 30
            #expect(outcome.rows == expectedBars)
            #expect(outcome.gaps.isEmpty)
            #expect(outcome.archiveFiles == 4 && outcome.restRanges == 1)
            #expect(outcome.lastTime == Timestamp(iso8601: "2022-02-03T10:29:00Z"))
            let series = try CandleReader.readAll(path: try #require(outcome.outputPath))
            #expect(series.candles.count == expectedBars)
            #expect(series.report.gaps.isEmpty)
            let (open, high, low, close) = ArchiveFixtures.prices(openTime: series.candles[100].openTime.milliseconds)
            #expect(series.candles[100].open == Price(open)! && series.candles[100].high == Price(high)!)
            #expect(series.candles[100].low == Price(low)! && series.candles[100].close == Price(close)!)
            #expect(harness.progress.withLock { $0.last?.piecesDone } == 5)
        }
    }

    /// A zip served corrupted once is refused by its SHA-256 and fetched again from scratch.
    @Test func corruptedFileIsRefusedAndFetchedAgain() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "FILUSDT", month: CalendarMonth(year: 2023, month: 4), interval: "1h")
            server.serve(path, bytes: zip)
            server.script(path, [.corrupt])
            let report = try await harness.run(harness.request(["FILUSDT"], [.klines(.oneHour)], from: "2023-04-01", to: "2023-04-30"),
                                               now: "2023-06-01T00:00:00Z")
            #expect(report.statistics.checksumRefetches == 1)
            #expect(server.requests(to: path).count == 2)
            #expect(server.requests(to: path).last?.range == nil, "a refused file is fetched from scratch, not resumed")
            #expect(report.datasets.first?.rows == 30 * 24)
        }
    }

    /// A zip that is always corrupted fails the run naming the URL; no output file is written.
    @Test func persistentlyCorruptedFileFailsWithoutOutput() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "FILUSDT", month: CalendarMonth(year: 2023, month: 4), interval: "1h")
            server.serve(path, bytes: zip)
            server.script(path, [.corrupt, .corrupt, .corrupt])
            await #expect(throws: HistoricalDataError.self) {
                _ = try await harness.run(harness.request(["FILUSDT"], [.klines(.oneHour)], from: "2023-04-01", to: "2023-04-30"),
                                          now: "2023-06-01T00:00:00Z")
            }
            do {
                _ = try await harness.run(harness.request(["FILUSDT"], [.klines(.oneHour)], from: "2023-04-01", to: "2023-04-30"),
                                          now: "2023-06-01T00:00:00Z")
            } catch {
                Issue.record("the fourth download is clean and must succeed: \(error)")
            }
            #expect(harness.outputFiles().count == 1)
        }
    }

    /// A connection that breaks mid-file: the next attempt asks only for the rest (`Range`).
    @Test func interruptedDownloadResumesWithRange() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "LINKUSDT", month: CalendarMonth(year: 2023, month: 2))
            server.serve(path, bytes: zip)
            let cutAt = zip.count / 3
            server.script(path, [.cut(afterBytes: cutAt)])
            // The client keeps what reached it before the connection broke (at most cutAt bytes).
            let report = try await harness.run(harness.request(["LINKUSDT"], [.klines(.oneMinute)], from: "2023-02-01", to: "2023-02-28"),
                                               now: "2023-03-10T00:00:00Z")
            let requests = server.requests(to: path)
            #expect(requests.count == 2)
            let kept = report.statistics.resumedBytes
            #expect(kept > 0 && kept <= Int64(cutAt))
            #expect(requests.last?.range == "bytes=\(kept)-")
            #expect(report.datasets.first?.rows == 28 * 1440)
        }
    }

    /// A run that gives up mid-file leaves a `.part`; the next run continues it.
    @Test func nextRunResumesAnAbandonedDownload() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "LINKUSDT", month: CalendarMonth(year: 2023, month: 2))
            server.serve(path, bytes: zip)
            server.script(path, [.cut(afterBytes: 50_000)])
            let request = harness.request(["LINKUSDT"], [.klines(.oneMinute)], from: "2023-02-01", to: "2023-02-28")
            await #expect(throws: HistoricalDataError.self) {
                _ = try await harness.run(request, now: "2023-03-10T00:00:00Z", settings: harness.settings(maxAttempts: 1))
            }
            #expect(harness.outputFiles().isEmpty)
            let report = try await harness.run(request, now: "2023-03-10T00:00:00Z")
            let kept = report.statistics.resumedBytes
            #expect(kept > 0 && kept <= 50_000)
            #expect(server.requests(to: path).last?.range == "bytes=\(kept)-")
            #expect(report.datasets.first?.rows == 28 * 1440)
        }
    }

    /// A transfer that stalls is given up by the read timeout and resumed; an answer that never
    /// comes is retried; a body sent in small pieces is fine.
    @Test func stalledAndHangingAnswersAreRetried() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (stalled, stalledZip) = try ArchiveFixtures.monthlyKlines(symbol: "AVAXUSDT", month: CalendarMonth(year: 2023, month: 9), interval: "1h")
            let (hanging, hangingZip) = try ArchiveFixtures.monthlyKlines(symbol: "AVAXUSDT", month: CalendarMonth(year: 2023, month: 10), interval: "1h")
            let (trickled, trickledZip) = try ArchiveFixtures.monthlyKlines(symbol: "AVAXUSDT", month: CalendarMonth(year: 2023, month: 11), interval: "1h")
            server.serve(stalled, bytes: stalledZip)
            server.serve(hanging, bytes: hangingZip)
            server.serve(trickled, bytes: trickledZip)
            server.script(stalled, [.stall(afterBytes: 1000)])
            server.script(hanging + ".CHECKSUM", [.hang])
            server.script(trickled, [.trickle])
            let report = try await harness.run(harness.request(["AVAXUSDT"], [.klines(.oneHour)], from: "2023-09-01", to: "2023-11-30"),
                                               now: "2023-12-15T00:00:00Z", settings: harness.settings(readTimeout: .seconds(1)))
            #expect(server.requests(to: stalled).last?.range == "bytes=1000-")
            // At least one retry of the answer that never came. More than one is allowed: on a
            // starved machine a healthy answer can also miss the (real) read timeout and be retried.
            #expect(server.requests(to: hanging + ".CHECKSUM").count >= 2)
            #expect(report.datasets.first?.rows == (30 + 31 + 30) * 24)
            #expect(report.datasets.first?.gaps.isEmpty == true)
        }
    }

    /// 429 waits the server's Retry-After, 418 too, 5xx backs off; the file then arrives.
    @Test func rateLimitsAndServerErrorsAreWaitedOut() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "DOTUSDT", month: CalendarMonth(year: 2024, month: 11), interval: "1h")
            server.serve(path, bytes: zip)
            server.script(path + ".CHECKSUM", [.status(429, retryAfter: 7), .status(503)])
            server.script(path, [.status(500), .status(418, retryAfter: 30)])
            let report = try await harness.run(harness.request(["DOTUSDT"], [.klines(.oneHour)], from: "2024-11-01", to: "2024-11-30"),
                                               now: "2024-12-20T00:00:00Z")
            let waits = harness.waits.withLock { $0 }
            #expect(waits.count == 4)
            #expect(waits.contains(.seconds(7)) && waits.contains(.seconds(30)))
            #expect(report.statistics.retries == 4)
            #expect(report.datasets.first?.rows == 30 * 24)
        }
    }

    /// Retries are bounded: a server that keeps answering 503 fails the run naming the URL.
    @Test func endlessServerErrorsGiveUp() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "DOTUSDT", month: CalendarMonth(year: 2024, month: 11), interval: "1h")
            server.serve(path, bytes: zip)
            server.script(path + ".CHECKSUM", Array(repeating: .status(503), count: 10))
            do throws(HistoricalDataError) {
                _ = try await harness.run(harness.request(["DOTUSDT"], [.klines(.oneHour)], from: "2024-11-01", to: "2024-11-30"),
                                          now: "2024-12-20T00:00:00Z", settings: harness.settings(maxAttempts: 3))
                Issue.record("expected the run to fail")
            } catch {
                #expect(error.kind == .retriesExhausted)
                #expect(error.source.hasSuffix(".CHECKSUM"))
                #expect(error.detail.contains("HTTP 503"))
            }
            #expect(harness.waits.withLock { $0.count } == 2)
        }
    }

    /// An old month the archive does not have (404) stays missing: reported, and the file shows
    /// it as a gap; the months around it are written.
    @Test func missingOldMonthIsReportedAsGap() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            for month in [CalendarMonth(year: 2023, month: 1), CalendarMonth(year: 2023, month: 3)] {
                let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "NEARUSDT", month: month, interval: "1h")
                server.serve(path, bytes: zip)
            }
            let report = try await harness.run(harness.request(["NEARUSDT"], [.klines(.oneHour)], from: "2023-01-01", to: "2023-03-31"),
                                               now: "2024-01-01T00:00:00Z")
            let outcome = try #require(report.datasets.first)
            #expect(outcome.missingPeriods == ["2023-02"])
            #expect(outcome.gaps.map(\.missingBarCount) == [28 * 24])
            let inspected = try CandleReader.validate(path: try #require(outcome.outputPath))
            #expect(inspected.gaps == outcome.gaps)
            #expect(server.requests.filter { $0.path.contains("/daily/") }.isEmpty, "an old month does not fall back to daily files")
        }
    }

    /// Last month's file not yet published (404): its days come from the daily files; a recent
    /// day without a daily file comes from REST.
    @Test func recentMissingFilesFallBackToDailyAndREST() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            for day in 25...30 {
                let (path, zip) = try ArchiveFixtures.dailyKlines(symbol: "LTCUSDT", day: CalendarDay("2024-06-\(day)")!)
                server.serve(path, bytes: zip)
            }
            server.serveKlines(symbol: "LTCUSDT", .init(start: CalendarDay("2024-07-01")!.startMilliseconds, count: 3 * 1440))
            let report = try await harness.run(harness.request(["LTCUSDT"], [.klines(.oneMinute)], from: "2024-06-25", to: "2024-07-02"),
                                               now: "2024-07-02T00:10:00Z")
            let outcome = try #require(report.datasets.first)
            #expect(outcome.missingPeriods.isEmpty)
            #expect(outcome.gaps.isEmpty)
            #expect(outcome.rows == 7 * 1440 + 10)
            #expect(server.requests.contains { $0.path == "/fapi/v1/klines" && $0.query["startTime"] == String(CalendarDay("2024-07-01")!.startMilliseconds) })
        }
    }

    /// Funding rates: monthly files for past months, REST for the current one; the funding file
    /// `qt` reads (mark price from REST where the archive has none).
    @Test func fundingRatesFromArchiveAndREST() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyFunding(symbol: "XRPUSDT", month: CalendarMonth(year: 2024, month: 1))
            server.serve(path, bytes: zip)
            let february = CalendarDay("2024-02-01")!.startMilliseconds
            server.serveFunding(symbol: "XRPUSDT", [(february + 3, "-0.00012000", "0.5123"), (february + 28_800_004, "0.00005000", "0.5150")])
            let report = try await harness.run(harness.request(["XRPUSDT"], [.fundingRate], from: "2024-01-01", to: "2024-02-29"),
                                               now: "2024-02-01T12:00:00Z")
            let outcome = try #require(report.datasets.first)
            #expect(harness.outputFiles() == ["XRPUSDT-funding-2024-01-01_2024-02-01.csv.gz"])
            #expect(outcome.rows == 31 * 3 + 2)
            let (rates, _) = try FundingRateReader.readAll(path: try #require(outcome.outputPath))
            #expect(rates.count == 31 * 3 + 2)
            #expect(rates.last?.rate == Rate("0.00005")!)
            #expect(rates.last?.markPrice == Price("0.515")!)
            #expect(rates.first?.markPrice == nil)
        }
    }

    /// Mark-price klines go to `mark-price/` under the same name scheme.
    @Test func markPriceKlinesGoToTheirOwnFolder() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let month = CalendarMonth(year: 2024, month: 5)
            let layout = ArchiveLayout(baseURL: "")
            let path = "/" + layout.path(symbol: Symbol("ATOMUSDT"), dataset: .markPriceKlines(.oneHour), period: .month(month))
            let csv = ArchiveFixtures.klineCSV(start: month.firstDay.startMilliseconds, end: month.next.firstDay.startMilliseconds,
                                               interval: 3_600_000, header: true)
            server.serve(path, bytes: try ArchiveFixtures.zip(entry: "ATOMUSDT-1h-2024-05.csv", text: csv))
            let report = try await harness.run(harness.request(["ATOMUSDT"], [.markPriceKlines(.oneHour)], from: "2024-05-01", to: "2024-05-31"),
                                               now: "2024-07-01T00:00:00Z")
            #expect(harness.outputFiles("/mark-price") == ["ATOMUSDT-1h-2024-05-01_2024-05-31.csv.gz"])
            #expect(report.datasets.first?.rows == 31 * 24)
        }
    }

    /// A second run takes the verified zips from the cache: only the small `.CHECKSUM` files are
    /// asked for again.
    @Test func secondRunUsesTheVerifiedCache() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "ALGOUSDT", month: CalendarMonth(year: 2024, month: 9), interval: "1h")
            server.serve(path, bytes: zip)
            let request = harness.request(["ALGOUSDT"], [.klines(.oneHour)], from: "2024-09-01", to: "2024-09-30")
            _ = try await harness.run(request, now: "2024-10-15T00:00:00Z")
            let second = try await harness.run(request, now: "2024-10-15T00:00:00Z")
            #expect(server.requests(to: path).count == 1)
            #expect(server.requests(to: path + ".CHECKSUM").count == 2)
            #expect(second.statistics.cachedFiles == 1)
            #expect(second.statistics.downloadedBytes == 0)
        }
    }

    /// A `.CHECKSUM` that names another file is refused (no silent trust).
    @Test func checksumFileNamingAnotherFileIsRefused() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: "ALGOUSDT", month: CalendarMonth(year: 2024, month: 9), interval: "1h")
            server.serve(path, bytes: zip)
            server.overrideChecksum(path, text: String(repeating: "ab", count: 32) + "  ALGOUSDT-1h-2024-08.zip\n")
            do throws(HistoricalDataError) {
                _ = try await harness.run(harness.request(["ALGOUSDT"], [.klines(.oneHour)], from: "2024-09-01", to: "2024-09-30"),
                                          now: "2024-10-15T00:00:00Z")
                Issue.record("expected a refusal")
            } catch {
                #expect(error.kind == .badChecksumFile)
                #expect(error.detail.contains("ALGOUSDT-1h-2024-08.zip"))
            }
        }
    }

    /// Several symbols download at once, never more than the concurrency bound at a time.
    @Test func concurrencyIsBounded() async throws {
        try await FakeArchiveServer.with { server in
            let harness = try DownloadHarness(server: server)
            defer { harness.cleanUp() }
            let symbols = ["ALGOUSDT", "AVAXUSDT", "DOTUSDT", "FILUSDT", "LINKUSDT"]
            for symbol in symbols {
                for month in 1...3 {
                    let (path, zip) = try ArchiveFixtures.monthlyKlines(symbol: symbol, month: CalendarMonth(year: 2024, month: month), interval: "1h")
                    server.serve(path, bytes: zip)
                }
            }
            let report = try await harness.run(harness.request(symbols, [.klines(.oneHour)], from: "2024-01-01", to: "2024-03-31"),
                                               now: "2024-05-01T00:00:00Z", settings: harness.settings(concurrency: 2))
            #expect(report.datasets.count == 5)
            #expect(report.datasets.allSatisfy { $0.rows == (31 + 29 + 31) * 24 })
            #expect(server.maxConcurrentRequests <= 2)
            #expect(server.maxConcurrentRequests >= 1)
        }
    }
}
