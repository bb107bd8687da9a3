import Foundation
import Testing
import TraderApp
import Backtest
import TradingEngine
import TradingModel

/// `report.html` of the bundled LINKUSDT month (`examples/ema-cross.toml`) in a real browser
/// (Debian's `chromium`, headless): it renders with no script error and no console error, every
/// chart is drawn, the trade table sorts and pages, and the price chart zooms to one day.
/// Screenshots go to `.build/test-output/report/` (QT_TEST_OUTPUT overrides the folder);
/// `docs/images/report.png` in the README is one of them.
@Suite("Backtest report in headless Chromium", .timeLimit(.minutes(5)))
struct ReportBrowserTests {
    static var outputFolder: String {
        if let folder = ProcessInfo.processInfo.environment["QT_TEST_OUTPUT"] { return folder + "/report" }
        return BacktestRunnerTests.root + "/.build/test-output/report"
    }

    /// Collects uncaught errors, failed resource loads, rejected promises and `console.error`
    /// calls from the first script of the page on.
    static let errorCollector = """
    window.__reportErrors = [];
    window.addEventListener('error', function (e) { window.__reportErrors.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)); }, true);
    window.addEventListener('unhandledrejection', function (e) { window.__reportErrors.push('rejection: ' + String(e.reason)); });
    (function () { var original = console.error; console.error = function () { window.__reportErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); return original.apply(console, arguments); }; })();
    """

    @Test("the LINKUSDT month's report renders without errors; sort, page and zoom to a day work",
          .enabled(if: HeadlessChromium.path != nil, "headless Chromium is not installed: `make bootstrap` installs Debian's chromium for the tests"))
    func linkMonthReport() async throws {
        let directory = Integration.temporaryDirectory("report-browser")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try BacktestRunner.run(config: try BacktestRunnerTests.config(), dataFiles: [BacktestRunnerTests.link],
                                            outputDirectory: directory + "/run")
        let tradeCount = result.output.trades.count
        #expect(tradeCount > 100)
        let url = URL(fileURLWithPath: directory + "/run/report.html").absoluteString
        let folder = Self.outputFolder
        try await HeadlessChromium.run { page in
            _ = try await page.command("Page.addScriptToEvaluateOnNewDocument", ["source": Self.errorCollector])
            try await page.open(url)
            #expect(try await page.evaluate("document.body.dataset.rendered") as? String == "ok", "the script ran to its end")
            #expect(try await page.evaluate("window.__reportErrors.join(' | ')") as? String == "")
            // Every chart drew something other than its white background.
            for id in ["price-chart", "equity-chart", "drawdown-chart", "pnl-histogram", "holding-histogram"] {
                let coloured = try await page.evaluate("""
                    (function(){var c=document.getElementById('\(id)');var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;
                    var n=0;for(var i=0;i<d.length;i+=4){if(d[i]<200||d[i+1]<200||d[i+2]<200)n++;}return n;})()
                    """) as? Int
                #expect((coloured ?? 0) > 500, "\(id) has \(coloured ?? 0) drawn pixels")
            }
            #expect(try await page.evaluate("document.querySelectorAll('#trades tbody tr').length") as? Int == 50)
            #expect(try await page.text("#trade-page")?.contains("\(tradeCount) trades") == true)
            #expect(try await page.evaluate("Number(document.getElementById('price-chart').dataset.visibleTrades)") as? Int == tradeCount)
            try await page.screenshot(to: folder + "/1-report.png")

            // Sort by net PnL, descending on the second click: the first row is the best trade.
            let netColumn = "document.querySelector('#trades thead th[data-column=\"11\"]')"
            _ = try await page.evaluate("\(netColumn).click(); \(netColumn).click(); 0")
            #expect(try await page.evaluate("\(netColumn).getAttribute('aria-sort')") as? String == "descending")
            let best = try #require(result.output.trades.map(\.netPnL).max())
            let firstNet = try await page.evaluate("document.querySelector('#trades tbody tr').cells[11].textContent") as? String
            #expect(firstNet?.replacingOccurrences(of: ",", with: "") == String(format: "%.2f", best.doubleValue), "\(firstNet ?? "")")
            _ = try await page.evaluate("document.getElementById('page-forward').click(); 0")
            #expect(try await page.text("#trade-page")?.hasPrefix("page 2 of") == true)

            // Zoom to one day: the window spans 24 h and shows that day's trades with their levels.
            _ = try await page.evaluate("var d=document.getElementById('day'); d.value='2026-02-10'; d.dispatchEvent(new Event('change')); 0")
            let window = try #require(try await page.text("#price-window"))
            #expect(window.hasPrefix("2026-02-10 00:00 – 2026-02-11 00:00 UTC"), "\(window)")
            #expect(window.contains("planned stop in red"), "\(window)")
            let dayTrades = result.output.trades.filter {
                $0.exitTime.milliseconds >= 1_770_681_600_000 && $0.entryTime.milliseconds <= 1_770_768_000_000
            }.count
            #expect(try await page.evaluate("Number(document.getElementById('price-chart').dataset.visibleTrades)") as? Int == dayTrades)
            _ = try await page.evaluate("document.getElementById('price-chart').scrollIntoView(); 0")
            try await page.screenshot(to: folder + "/2-report-day.png")
            #expect(try await page.evaluate("window.__reportErrors.join(' | ')") as? String == "")
        }
    }
}
