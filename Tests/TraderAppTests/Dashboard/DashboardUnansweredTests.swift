import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import Testing
import TradingEngine
import TradingModel
@testable import TraderApp

/// The console's close when no running session answers the store's command channel (the
/// session is stopped, hung, or on another store): the page must never say "done".
@Suite("Dashboard: a close that no session answers")
struct DashboardUnansweredTests {
    /// A store-only console (`qt dashboard --db`) whose wait for the answer advances the manual
    /// clock one second per look, so the 10 s wait ends without wall-clock sleeps.
    static func server(store: SQLiteTradeStore, clock: ManualClock) -> DashboardServer {
        let quiet = Logger(label: "dashboard-unanswered-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let source = StoreDashboardSource(store: store, observer: nil, label: "store qt.sqlite", clock: clock, staleAfter: .seconds(3600), model: nil,
                                          storeProbe: { try store.checkWritable() })
        let control = StoreDashboardControl(store: store, clock: clock, progress: { clock.advance(by: .seconds(1)) }, runID: { nil }, logger: quiet)
        return DashboardServer(settings: DashboardSettings(), credentials: DashboardPaperHarness.credentials, source: source, control: control,
                               metrics: nil, environment: DashboardServer.Environment(clock: clock, logger: quiet))
    }

    @Test("page close with no session: pending with the request id and why (not done), the request stays pending, the position stays; the answer shows once a session resolves it")
    func pageCloseUnanswered() async throws {
        let (store, directory) = try DashboardStoreTests.storeWithShort(backstopAccepted: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(DashboardStoreTests.time.advanced(by: .seconds(5)))
        try await Application(router: Self.server(store: store, clock: clock).router()).test(.router) { client in
            let (cookie, csrf) = try await DashboardPaperHarness.logIn(client)
            let started = clock.now
            let response = try await client.execute(uri: "/actions/close", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "csrf=\(csrf)&symbol=ATOMUSDT"))
            #expect(response.status == .ok)
            #expect(!response.text.contains("<strong>done</strong>"))
            #expect(response.text.contains("<strong>pending</strong>: close request 1 for ATOMUSDT is waiting for the running session"), "\(response.text)")
            #expect(response.text.contains("url=/requests/1"))
            #expect(clock.now.since(started) >= .seconds(10))
            #expect(try store.pendingCloseRequests().map(\.id) == [1])
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("id=\"position-ATOMUSDT\""))

            // A session picks the request up later and fails it (e.g. expired): the request page says so.
            try store.resolveCloseRequest(id: 1, state: .failed, detail: "expired: requested 6m before this run saw it (limit 5m); nothing closed",
                                          runID: 1, time: clock.now)
            let later = try await client.execute(uri: "/requests/1", method: .get, headers: [.cookie: cookie])
            #expect(later.text.contains("<strong>failed</strong>: expired: requested 6m"), "\(later.text)")
            #expect(!later.text.contains("url=/requests/1"))
        }
        let audit = try #require(try store.commands(limit: 10).last { $0.channel == "dashboard" && $0.text == "close ATOMUSDT" })
        #expect(audit.authorized && audit.outcome.hasPrefix("close request 1 pending: "))
    }

    @Test("API close with wait and no session: 202 pending with the request id, never 200 done; polling shows pending")
    func apiCloseUnanswered() async throws {
        let (store, directory) = try DashboardStoreTests.storeWithShort(backstopAccepted: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(DashboardStoreTests.time.advanced(by: .seconds(5)))
        let bearer: HTTPFields = [.authorization: "Bearer \(DashboardPaperHarness.token)"]
        try await Application(router: Self.server(store: store, clock: clock).router()).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/close-all?wait=5", method: .post, headers: bearer)
            #expect(response.status == .accepted, "\(response.text)")
            #expect(response.text.contains("\"state\":\"pending\"") && response.text.contains("\"request_id\":1"))
            let poll = try await client.execute(uri: "/api/v1/requests/1", method: .get, headers: bearer)
            #expect(poll.status == .ok && poll.text.contains("\"state\":\"pending\""))
        }
        #expect(try store.pendingCloseRequests().count == 1)
    }
}
