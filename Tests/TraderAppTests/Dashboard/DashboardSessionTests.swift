import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TraderApp
import TradingEngine
import TradingModel
import AlertsTestSupport
import TradingTestSupport

/// The console's routes in process (Hummingbird's router test client) over a real paper session:
/// the live runtime with the exit executor on the local venue's stream, the store's command
/// channel, the session's observer. Each action's effect is checked on the runtime itself.
@Suite("Dashboard on a paper session: actions through the exit owner, metrics, readiness", .timeLimit(.minutes(5)))
struct DashboardSessionTests {
    static let path = ["2.22", "2.22", "2.224", "2.23", "2.231", "2.232", "2.233"]

    @Test("close from the page: one reduce-only close by the exit owner, the position gone, the trade listed, who did it recorded; CSRF-less form does nothing")
    func closeThroughTheExitOwner() async throws {
        try await DashboardPaperHarness.run(prices: Self.path) { harness in
            try await harness.openTheShort()
            try await Application(router: harness.dashboard.server.router()).test(.router) { client in
                let (cookie, csrf) = try await harness.logIn(client)
                let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
                #expect(page.text.contains("<tr class=\"protected\" id=\"position-ATOMUSDT\">"))
                #expect(page.text.contains("<td class=\"stop\">2.250688</td>") || page.text.contains("<td class=\"stop\">2.25"))
                #expect(page.text.contains(" resting</td>"))
                #expect(page.text.contains("<td>2.23</td>"))  // the mark

                let refused = try await client.execute(uri: "/actions/close", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                       body: ByteBuffer(string: "symbol=ATOMUSDT"))
                #expect(refused.status == .forbidden)
                #expect(try harness.store.pendingCloseRequests().isEmpty)
                #expect(harness.dashboard.observer?.snapshot?.state.positions.count == 1)

                let done = try await client.execute(uri: "/actions/close", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "csrf=\(csrf)&symbol=ATOMUSDT"))
                #expect(done.status == .ok)
                #expect(done.text.contains("<strong>done</strong>: closed by the exit owner (reduce-only market): ATOMUSDT"), "\(done.text)")
                let state = try #require(harness.dashboard.observer?.snapshot?.state)
                #expect(state.positions.isEmpty)
                #expect(state.trades.count == 1 && state.trades.first?.exitReason == .manual)
                let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
                #expect(after.text.contains("id=\"no-positions\""))
                #expect(after.text.contains("<td>manual</td>"))
                let api = try await client.execute(uri: "/api/v1/trades", method: .get, headers: [.authorization: "Bearer \(DashboardPaperHarness.token)"])
                #expect(api.text.contains("\"exit_reason\":\"manual\""))
            }
            let commands = try harness.store.commands(limit: 10).filter { $0.channel == "dashboard" }
            #expect(commands.map(\.text) == ["login", "/actions/close without a valid CSRF token", "close ATOMUSDT"])
            let close = try #require(commands.last { $0.text == "close ATOMUSDT" })
            #expect(close.authorized && close.sender.hasPrefix("admin from ") && close.outcome.hasPrefix("close request 1 done: "))
            #expect(close.runID == 1)
            #expect(try harness.store.trades(runID: 1).first?.exitReason == "manual")
        }
    }

    @Test("halt and resume from the page reach the running session at its next tick; close all through the API")
    func haltResumeCloseAll() async throws {
        try await DashboardPaperHarness.run(prices: Self.path) { harness in
            try await harness.openTheShort()
            try await Application(router: harness.dashboard.server.router()).test(.router) { client in
                let (cookie, csrf) = try await harness.logIn(client)
                let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
                let halt = try await client.execute(uri: "/actions/halt", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(csrf)&reason=news+at+14%3A00"))
                #expect(halt.text.contains("<strong>done</strong>: HALTED at"))
                await harness.settle()
                #expect(harness.dashboard.observer?.snapshot?.state.manualHalt?.hasSuffix("(dashboard): news at 14:00") == true)
                let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
                #expect(page.text.contains("<strong class=\"halted\">HALTED</strong>"))
                _ = try await client.execute(uri: "/actions/resume", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(csrf)&reason=calm"))
                await harness.settle()
                #expect(harness.dashboard.observer?.snapshot?.state.manualHalt == nil)

                let all = try await client.execute(uri: "/api/v1/close-all?wait=30", method: .post,
                                                   headers: [.authorization: "Bearer \(DashboardPaperHarness.token)"])
                #expect(all.status == .ok && all.text.contains("\"state\":\"done\""), "\(all.text)")
                #expect(harness.dashboard.observer?.snapshot?.state.positions.isEmpty == true)
            }
            let events = try harness.store.riskEvents(runID: nil).filter { $0.cause == "manual" }
            #expect(events.map(\.state) == ["halted", "resumed"])
            #expect(events.first?.detail.hasPrefix("by admin from ") == true)
            #expect(try harness.store.commands(limit: 10).contains { $0.channel == "dashboard" && $0.sender.hasPrefix("API token from ") && $0.text == "close all" })
        }
    }

    @Test("/metrics during the session: orders by kind and result, fills, latency histogram, open and unprotected positions, equity; counters move")
    func metricsMove() async throws {
        try await DashboardPaperHarness.run(prices: Self.path) { harness in
            try await Application(router: harness.dashboard.server.router()).test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(DashboardPaperHarness.token)"]
                await harness.step()
                let before = try await client.execute(uri: "/metrics", method: .get, headers: headers).text
                #expect(before.contains("qt_runtime_price_events_total 1"))
                #expect(before.contains("qt_open_positions 0"))
                try await harness.openTheShort()
                let open = try await client.execute(uri: "/metrics", method: .get, headers: headers).text
                print("metrics with the short open:\n" + open.split(separator: "\n").filter { $0.hasPrefix("qt_") && !$0.contains("_bucket") }.joined(separator: "\n"))
                #expect(open.contains("qt_orders_total{kind=\"entry\",result=\"accepted\"} 1"))
                #expect(open.contains("qt_orders_total{kind=\"backstop\",result=\"accepted\"} 1"))
                #expect(open.contains("qt_runtime_fills_total 1"))
                #expect(open.contains("qt_open_positions 1"))
                #expect(open.contains("qt_unprotected_positions 0"))
                #expect(open.contains("qt_equity_usdt "))
                #expect(open.contains("qt_price_event_to_order_seconds_count 2"))
                let (cookie, csrf) = try await harness.logIn(client)
                _ = try await client.execute(uri: "/actions/close", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "csrf=\(csrf)&symbol=ATOMUSDT"))
                let closed = try await client.execute(uri: "/metrics", method: .get, headers: headers).text
                #expect(closed.contains("qt_orders_total{kind=\"exit\",result=\"accepted\"} 1"))
                #expect(closed.contains("qt_runtime_fills_total 2"))
                #expect(closed.contains("qt_open_positions 0"))
                #expect(closed.contains("qt_runtime_trades_closed_total 1"))
            }
        }
    }

    @Test("/readyz: 200 once reconciled with fresh market data; 503 naming the reason when the market data goes silent")
    func readinessOnTheSession() async throws {
        var settings = DashboardSettings()
        settings.staleAfter = .seconds(10)
        try await DashboardPaperHarness.run(prices: Self.path, settings: settings) { harness in
            try await Application(router: harness.dashboard.server.router()).test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(DashboardPaperHarness.token)"]
                let cold = try await client.execute(uri: "/readyz", method: .get, headers: headers)
                #expect(cold.status == .serviceUnavailable)
                await harness.step()
                let ready = try await client.execute(uri: "/readyz", method: .get, headers: headers)
                #expect(ready.status == .ok, "\(ready.text)")
                harness.clock.advance(by: .seconds(31))
                let silent = try await client.execute(uri: "/readyz", method: .get, headers: headers)
                #expect(silent.status == .serviceUnavailable)
                #expect(silent.text.contains("market_data_fresh: ATOMUSDT: none for 31"), "\(silent.text)")
            }
        }
    }
}

extension DashboardPaperHarness {
    /// Logs in through the form; the session cookie and the page's CSRF token.
    func logIn(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) { try await Self.logIn(client) }

    /// Logs in to any console that takes `credentials`.
    static func logIn(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let form = try await client.execute(uri: "/login", method: .get)
        let loginCookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("qt_login=") }.map { String($0.prefix { $0 != ";" }) })
        let token = try #require(Self.hidden("login_csrf", in: String(buffer: form.body)))
        let response = try await client.execute(uri: "/login", method: .post, headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "login_csrf=\(token)&password=correct+horse+battery"))
        let session = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("qt_session=") }.map { String($0.prefix { $0 != ";" }) })
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
        return (session, try #require(hidden("csrf", in: String(buffer: page.body))))
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
