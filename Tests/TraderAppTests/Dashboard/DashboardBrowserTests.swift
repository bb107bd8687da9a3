import Dashboard
import Foundation
import Testing
import TraderApp
import TradingModel
import ServiceLifecycle
import TradingEngine
import TradingTestSupport

/// The console in a real browser (Debian's `chromium`, headless, driven over the DevTools
/// protocol) against a paper session on the local venue: log in, see the open short with its
/// stop and resting backstop, press Close, confirm, see the position gone and the trade listed.
/// Screenshots go to `.build/test-output/dashboard/` (QT_TEST_OUTPUT overrides the folder).
@Suite("Dashboard in headless Chromium", .timeLimit(.minutes(5)))
struct DashboardBrowserTests {
    static var outputFolder: String {
        if let folder = ProcessInfo.processInfo.environment["QT_TEST_OUTPUT"] { return folder + "/dashboard" }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/test-output/dashboard").path
    }

    @Test("log in, see the position with stop and backstop, close it with confirmation, see it gone and the trade listed",
          .enabled(if: HeadlessChromium.path != nil, "headless Chromium is not installed: `make bootstrap` installs Debian's chromium for the tests"))
    func closeFromTheBrowser() async throws {
        try await DashboardPaperHarness.run(prices: ["2.22", "2.22", "2.224", "2.23", "2.231", "2.232"]) { harness in
            try await harness.openTheShort()
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let service = try harness.dashboard.service { portContinuation.yield($0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let base = "http://127.0.0.1:\(port)"
                let folder = Self.outputFolder
                try await HeadlessChromium.run { page in
                    try await page.open(base + "/")
                    #expect(try await page.text("h1") == "Log in")
                    try await page.screenshot(to: folder + "/1-login.png")
                    try await page.fill("input[name=password]", DashboardPaperHarness.password)
                    try await page.click("#login")
                    #expect(try await page.location == "/")
                    let row = try #require(try await page.text("#position-ATOMUSDT"))
                    #expect(row.contains("SHORT") && row.contains("446.03") && row.contains("2.224"))
                    #expect(row.contains("2.250688") || row.contains("2.25"))  // the stop
                    #expect(row.contains("resting"))  // the exchange backstop
                    #expect(row.contains("protected"))
                    try await page.screenshot(to: folder + "/2-position-open.png")

                    try await page.click("#close-ATOMUSDT")
                    #expect(try await page.location == "/confirm/close")
                    #expect(try await page.text("h1") == "Close ATOMUSDT")
                    try await page.screenshot(to: folder + "/3-confirm-close.png")
                    try await page.click("#confirm")
                    let outcome = try #require(try await page.text("#outcome"))
                    #expect(outcome.hasPrefix("done: closed by the exit owner (reduce-only market): ATOMUSDT"), "\(outcome)")
                    try await page.screenshot(to: folder + "/4-closed.png")

                    try await page.click("#back")
                    #expect(try await page.text("#no-positions") == "No open positions.")
                    let trade = try #require(try await page.text("#trade-0"))
                    #expect(trade.contains("ATOMUSDT") && trade.contains("manual"))
                    try await page.screenshot(to: folder + "/5-trade-listed.png")
                }
                print("dashboard screenshots: \(folder)/1-login.png … 5-trade-listed.png")
                group.cancelAll()
            }
            #expect(try harness.store.trades(runID: 1).first?.exitReason == "manual")
        }
    }
}
