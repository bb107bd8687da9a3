import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Prometheus
import Storage
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import LocalVenue

/// `/readyz` of the console beside a live session (the real Binance adapter) on the local venue:
/// 200 while trading, 503 naming the stream while the venue's streams are dropped and the
/// session resyncs, 200 again once it reconciled.
@Suite("Dashboard readiness while the local venue's streams drop", .timeLimit(.minutes(5)))
struct DashboardReadinessVenueTests {
    enum Drop: String, CaseIterable, Sendable {
        case market, userData
        var held: RuntimeInput { self == .market ? .marketStreamInSync(false) : .venueStreamInSync(false) }
        var resynced: RuntimeInput { self == .market ? .marketStreamInSync(true) : .venueStreamInSync(true) }
        var check: String { self == .market ? "market_streams" : "venue_stream" }
    }

    /// Holds the session's loop at the input that says a stream dropped, until the test looked.
    /// Armed by the test just before it drops the stream (the session's start-up also reports
    /// its streams out of sync once, before the first sync).
    final class Hold: @unchecked Sendable {
        let armed = Box(false)
        let reached = Observed<Void>()
        let released = Observed<Void>()
    }

    @Test("readyz 200 → 503 while dropped → 200 after the resync; the stream's reconnect counter moves", arguments: Drop.allCases)
    func readinessFollowsTheStreams(_ drop: Drop) async throws {
        try await VenueLiveHarness.run(prices: ["2.224", "2.224", "2.225", "2.226"]) { venue in
            let credentials = DashboardCredentials(user: "admin", passwordHash: nil, tokenHash: Bcrypt.hash("venue-dashboard-token", cost: 4))
            let store = try SQLiteTradeStore(path: venue.storePath)
            let registry = PrometheusCollectorRegistry()
            let dashboard = try DashboardServices(settings: DashboardSettings(), store: store, label: "live on the local venue (test)", strategy: nil,
                                                  clock: venue.clock, inSession: true, priceSource: .markPrice, credentials: credentials, metrics: registry,
                                                  observerMetrics: AppMetrics.prometheusFactory(registry))
            let observer = try #require(dashboard.observer)
            let hold = Hold()
            let bot = try venue.startBot(watch: { input, state in
                observer.observe(input, state: state)
                if input == drop.held, hold.armed.value {
                    hold.reached.append(())
                    await hold.released.wait { !$0.isEmpty }
                }
            })
            await venue.waitUntilTrading(bot)
            await venue.stepAndWaitForMark(bot)
            try await Application(router: dashboard.server.router()).test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer venue-dashboard-token"]
                let ready = try await client.execute(uri: "/readyz", method: .get, headers: headers)
                #expect(ready.status == .ok, "\(String(buffer: ready.body))")

                let reconnects = "qt_stream_reconnects_total{stream=\"\(drop == .market ? "market" : "user_data")\"} "
                func reconnectCount() async throws -> Int? {
                    let text = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: headers).body)
                    return text.split(separator: "\n").first { $0.hasPrefix(reconnects) }.flatMap { Int($0.dropFirst(reconnects.count)) }
                }
                let reconnectsBefore = try #require(try await reconnectCount())
                let resyncsBefore = bot.handled.values.filter { $0 == drop.resynced }.count
                hold.armed.value = true
                if drop == .market { venue.controller.dropMarketStreams() } else { venue.controller.dropUserDataStreams() }
                await hold.reached.wait { !$0.isEmpty }
                let dropped = try await client.execute(uri: "/readyz", method: .get, headers: headers)
                let text = String(buffer: dropped.body)
                print("readyz while the \(drop.rawValue) stream is dropped: \(dropped.status.code) \(text.split(separator: "\n").first ?? "")")
                #expect(dropped.status == .serviceUnavailable)
                #expect(text.hasPrefix("not ready: \(drop.check): "), "\(text)")
                #expect(try await reconnectCount() == reconnectsBefore + 1)
                hold.released.append(())

                await venue.eventually(bot) { bot.handled.values.filter { $0 == drop.resynced }.count > resyncsBefore }
                let again = try await client.execute(uri: "/readyz", method: .get, headers: headers)
                #expect(again.status == .ok, "\(String(buffer: again.body))")
            }
            _ = try await bot.stop()
        }
    }
}
