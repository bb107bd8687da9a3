@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing
import TradingEngine
import TradingModel

@Suite("Dashboard pages, health and metrics")
struct DashboardPageTests {
    @Test("the overview shows each position with stop, backstop and protection; an unprotected one is highlighted; text is escaped; the chart is inline SVG")
    func overview() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, _) = try await logIn(client)
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            let html = page.text
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.contains("<tr class=\"protected\" id=\"position-ATOMUSDT\">"))
            #expect(html.contains("<td class=\"stop\">2.250688</td>"))
            #expect(html.contains("<td class=\"backstop\">2.256 resting</td>"))
            #expect(html.contains("-0.27%") && html.contains("-0.54% at 2x") && html.contains("<td>3.3</td>"))
            #expect(html.contains("<tr class=\"unprotected\" id=\"position-LINKUSDT\">"))
            #expect(html.contains("UNPROTECTED: no backstop resting"))
            #expect(html.contains("id=\"unprotected-warning\">1 position(s) UNPROTECTED"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"))
            #expect(html.contains("<li>confidenceBelowThreshold(0.72, required: 0.80)</li>"))
            #expect(html.contains("<svg id=\"equity-chart\""))
            #expect(html.contains("Model&#39;s verdict") || html.contains("Model's verdict") || html.contains("Model&apos;s verdict"))
            #expect(html.contains("pooled accuracy</td><td>51.2%"))
            #expect(html.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
        }
    }

    @Test("a position whose price events stopped is highlighted STALE with the age of its last event")
    func stalePositionIsHighlighted() async throws {
        let fixture = DashboardFixture()
        fixture.session.with {
            $0.positions[0].stale = true
            $0.positions[0].lastPriceEventAgeSeconds = 95
        }
        try await fixture.test { client in
            let (cookie, _) = try await logIn(client)
            let html = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).text
            #expect(html.contains("<tr class=\"stale\" id=\"position-ATOMUSDT\">"))
            #expect(html.contains("STALE: no price event for 1 min 35 s"))
            #expect(!html.contains("<tr class=\"protected\" id=\"position-ATOMUSDT\">"))
        }
    }

    @Test("a store that cannot be read is said on the page and answered 503 by the API, never shown as no positions")
    func storeFailureIsShown() async throws {
        let fixture = DashboardFixture()
        fixture.session.with { $0.storeFails = true }
        try await fixture.test { client in
            let (cookie, _) = try await logIn(client)
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("<p class=\"error\">the exit states cannot be read: disk I/O error</p>"))
            let api = try await client.execute(uri: "/api/v1/positions", method: .get, headers: bearer)
            #expect(api.status == .serviceUnavailable && api.text.contains("disk I/O error"))
        }
    }

    @Test("/readyz answers 200 when every check passes and 503 with the failed check's reason otherwise")
    func readiness() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let ready = try await client.execute(uri: "/readyz", method: .get, headers: bearer)
            #expect(ready.status == .ok && ready.text.hasPrefix("ready\n"))
            fixture.session.with { $0.ready = false }
            let notReady = try await client.execute(uri: "/readyz", method: .get, headers: bearer)
            #expect(notReady.status == .serviceUnavailable)
            #expect(notReady.text.hasPrefix("not ready: market_streams: a market-data stream reconnected"))
            let api = try await client.execute(uri: "/api/v1/readiness", method: .get, headers: bearer)
            #expect(api.status == .serviceUnavailable && api.text.contains("\"ready\":false"))
        }
    }

    @Test("/metrics serves the registry in Prometheus text format")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(name: "qt_orders_total", labels: [("kind", "exit"), ("result", "accepted")])
        counter.increment(by: Int64(3))
        let session = FakeSession()
        let server = DashboardServer(settings: DashboardSettings(), credentials: DashboardCredentials(passwordHash: DashboardFixture.passwordHash,
                                                                                                     tokenHash: DashboardFixture.tokenHash),
                                     source: FakeSource(session: session), control: FakeControl(session: session), metrics: registry,
                                     environment: .init(clock: ManualClock(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await Application(router: server.router()).test(.router) { client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let response = try await client.execute(uri: "/metrics", method: .get, headers: bearer)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.text.contains("# TYPE qt_orders_total counter"))
            #expect(response.text.contains("qt_orders_total{kind=\"exit\",result=\"accepted\"} 3"))
        }
    }

    @Test("the equity chart: a polyline of equity and a drawdown polygon scaled into the view box; too few samples say so")
    func chart() {
        #expect(EquityChart.svg([]).contains("Not enough equity samples"))
        let svg = EquityChart.svg([EquityPoint(time: "a", timeMilliseconds: 0, equity: "100", drawdown: "0"),
                                   EquityPoint(time: "b", timeMilliseconds: 60_000, equity: "90", drawdown: "-10"),
                                   EquityPoint(time: "c", timeMilliseconds: 120_000, equity: "110", drawdown: "0")])
        // x from 50 to 710; equity 90…110 maps to y 140…10; drawdown 0…-10 maps to y 155…210.
        #expect(svg.contains("points=\"50.0,75.0 380.0,140.0 710.0,10.0\""))
        #expect(svg.contains("points=\"50.0,155.0 50.0,155.0 380.0,210.0 710.0,155.0 710.0,155.0\""))
        #expect(svg.contains(">-10.00</text>"))
    }
}
