import Foundation
@testable import HistoricalData
import Testing
import TradingModel
import CandleData

@Suite struct DownloadPlannerTests {
    private let planner = DownloadPlanner(now: Timestamp(iso8601: "2024-03-05T12:00:30Z")!)

    @Test func pastMonthsMonthlyCurrentMonthDailyTodayREST() {
        let pieces = planner.pieces(symbol: "LINKUSDT", dataset: .klines(.oneMinute), from: CalendarDay("2024-01-15")!, to: CalendarDay("2024-12-31")!)
        #expect(pieces.map(\.source) == [
            .archive(.month(CalendarMonth(year: 2024, month: 1))),
            .archive(.month(CalendarMonth(year: 2024, month: 2))),
            .archive(.day(CalendarDay("2024-03-01")!)), .archive(.day(CalendarDay("2024-03-02")!)),
            .archive(.day(CalendarDay("2024-03-03")!)), .archive(.day(CalendarDay("2024-03-04")!)),
            .rest(fromMilliseconds: CalendarDay("2024-03-05")!.startMilliseconds, toMilliseconds: Timestamp(iso8601: "2024-03-05T12:00:30Z")!.milliseconds),
        ])
    }

    @Test func fundingHasNoDailyFiles() {
        let pieces = planner.pieces(symbol: "LINKUSDT", dataset: .fundingRate, from: CalendarDay("2024-02-01")!, to: CalendarDay("2024-03-05")!)
        #expect(pieces.map(\.source) == [
            .archive(.month(CalendarMonth(year: 2024, month: 2))),
            .rest(fromMilliseconds: CalendarDay("2024-03-01")!.startMilliseconds, toMilliseconds: Timestamp(iso8601: "2024-03-05T12:00:30Z")!.milliseconds),
        ])
    }

    @Test func fallbacks() {
        let from = CalendarDay("2023-01-01")!, to = CalendarDay("2024-03-05")!
        let old = DownloadPiece(symbol: "LINKUSDT", dataset: .klines(.oneMinute), source: .archive(.month(CalendarMonth(year: 2023, month: 6))))
        #expect(planner.fallback(for: old, from: from, to: to).isEmpty, "an old month stays missing")
        let lastMonth = DownloadPiece(symbol: "LINKUSDT", dataset: .klines(.oneMinute), source: .archive(.month(CalendarMonth(year: 2024, month: 2))))
        #expect(planner.fallback(for: lastMonth, from: from, to: to).count == 29, "last month's days")
        let recentDay = DownloadPiece(symbol: "LINKUSDT", dataset: .klines(.oneMinute), source: .archive(.day(CalendarDay("2024-03-04")!)))
        #expect(planner.fallback(for: recentDay, from: from, to: to).map(\.source) == [
            .rest(fromMilliseconds: CalendarDay("2024-03-04")!.startMilliseconds, toMilliseconds: CalendarDay("2024-03-04")!.endMilliseconds),
        ])
        let oldDay = DownloadPiece(symbol: "LINKUSDT", dataset: .klines(.oneMinute), source: .archive(.day(CalendarDay("2024-02-20")!)))
        #expect(planner.fallback(for: oldDay, from: from, to: to).isEmpty)
    }

    @Test func calendarDaysRefuseImpossibleDates() {
        #expect(CalendarDay("2023-02-29") == nil)
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2024-2-1") == nil)
        #expect(CalendarMonth(year: 2024, month: 2).lastDay == CalendarDay("2024-02-29"))
        #expect(CalendarMonth(year: 2023, month: 12).next == CalendarMonth(year: 2024, month: 1))
    }

    @Test func archivePaths() {
        let layout = ArchiveLayout(baseURL: "https://data.binance.vision/")
        #expect(layout.url(forPath: layout.path(symbol: "BTCUSDT", dataset: .klines(.oneMinute), period: .month(CalendarMonth(year: 2024, month: 1))))
                == "https://data.binance.vision/data/futures/um/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01.zip")
        #expect(layout.path(symbol: "BTCUSDT", dataset: .markPriceKlines(.oneHour), period: .day(CalendarDay("2024-02-05")!))
                == "data/futures/um/daily/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2024-02-05.zip")
        #expect(layout.path(symbol: "BTCUSDT", dataset: .fundingRate, period: .month(CalendarMonth(year: 2024, month: 1)))
                == "data/futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-01.zip")
    }
}

@Suite struct ArchiveRowConverterTests {
    @Test func headerlessAndHeaderedFilesGiveTheSameRows() throws {
        let row = "1640995200000,46216.93,46271.08,46208.37,46250.00,40.57574,1640995259999,1876728.0463,1093,17.99,832262.0,0"
        let old = try ArchiveRowConverter.klines(csv: Array((row + "\n").utf8), source: "old.csv")
        let new = try ArchiveRowConverter.klines(csv: Array(("open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\r\n" + row + "\r\n").utf8), source: "new.csv")
        #expect(old == new)
        #expect(old.first?.line == "1640995200000,46216.93,46271.08,46208.37,46250.00,40.57574,1876728.0463,1093,17.99")
    }

    @Test func microsecondTimesBecomeMilliseconds() throws {
        let rows = try ArchiveRowConverter.klines(csv: Array("1735689600000000,1,2,0.5,1.5,10,1735689659999999,15,3,5,7,0\n".utf8), source: "x.csv")
        #expect(rows.first?.time == 1_735_689_600_000)
    }

    @Test(arguments: [
        ("1640995200000,46216.93,46271.08\n", "expected 12 fields"),
        ("16409x5200000,1,2,0.5,1.5,10,1640995259999,15,3,5,7,0\n", "open_time"),
        ("1640995200000,0,2,0.5,1.5,10,1640995259999,15,3,5,7,0\n", "open '0'"),
        ("1640995200000,1,2,0.5,1.5,-10,1640995259999,15,3,5,7,0\n", "volume"),
        ("open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n", "open_time"),
    ])
    func badRowsNameFileAndLine(csv: String, mentions: String) {
        do {
            _ = try ArchiveRowConverter.klines(csv: Array(("1640995140000,1,2,0.5,1.5,10,1640995199999,15,3,5,7,0\n" + csv).utf8), source: "X.zip:X.csv")
            Issue.record("accepted a bad row")
        } catch {
            #expect(error.source == "X.zip:X.csv:2")
            #expect(error.detail.contains(mentions), "\(error.detail)")
        }
    }

    @Test func unknownHeaderIsRefused() {
        #expect(throws: HistoricalDataError.self) { try ArchiveRowConverter.klines(csv: Array("symbol,open,high\n".utf8), source: "x.csv") }
    }

    @Test func checksumFiles() throws {
        let digest = String(repeating: "0a", count: 32)
        #expect(try ChecksumFile(text: "\(digest)  BTCUSDT-1m-2024-01.zip\n", expectedFileName: "BTCUSDT-1m-2024-01.zip", source: "s").sha256 == digest)
        #expect(try ChecksumFile(text: "\(digest.uppercased()) *BTCUSDT-1m-2024-01.zip", expectedFileName: "BTCUSDT-1m-2024-01.zip", source: "s").sha256 == digest)
        #expect(throws: HistoricalDataError.self) { try ChecksumFile(text: "<html>404</html>", expectedFileName: "a.zip", source: "s") }
        #expect(throws: HistoricalDataError.self) { try ChecksumFile(text: "abc  a.zip", expectedFileName: "a.zip", source: "s") }
    }
}
