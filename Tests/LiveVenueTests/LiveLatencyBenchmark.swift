import BinanceFutures
import Foundation
import LocalVenue
import Testing
import TradingEngine
import TradingModel

/// Stopwatch of the live path's stop latency: from the moment a mark-price message that crosses
/// the stop arrives from the socket (before the adapter parses it) to the moment the reduce-only
/// close is handed to the HTTP client. Measures only (monotonic clock); decides nothing.
final class LatencyProbe: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    private let lock = Mutex()
    private let crossing: String
    private var arrivedAt: ContinuousClock.Instant?
    private var samples: [Duration] = []

    /// - Parameter crossing: the mark price text (`"p":"…"`) that crosses the stop.
    init(crossing: String) { self.crossing = crossing }

    func arrived(_ bytes: [UInt8]) {
        let now = ContinuousClock.now
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("markPriceUpdate"), text.contains("\"p\":\"\(crossing)") else { return }
        lock.withLock { if arrivedAt == nil { arrivedAt = now } }
    }

    func handedOver(_ request: HTTPRequestData) {
        let now = ContinuousClock.now
        guard request.method == .post, request.path == "/fapi/v1/order" else { return }
        let text = request.query + "&" + String(decoding: request.body, as: UTF8.self)
        guard text.contains("reduceOnly=true"), text.contains("-sl") else { return }
        lock.withLock {
            if let start = arrivedAt { samples.append(now - start) }
            arrivedAt = nil
        }
    }

    var all: [Duration] { lock.withLock { samples } }
}

/// A benchmark, not a test: run by `make bench-live` (`QT_BENCH_LIVE_LATENCY=<cycles>`); skipped
/// otherwise. Each cycle: a SHORT 446.03 @ 2.224 entered, protected, then the 2.2507 mark crosses
/// its 2.250688 stop; one sample per cycle through the real adapter against the local venue.
@Suite("Benchmark: live stop latency against the local venue")
struct LiveLatencyBenchmark {
    static let cycles = ProcessInfo.processInfo.environment["QT_BENCH_LIVE_LATENCY"].flatMap { Int($0) }

    @Test("Market message crossing a stop → reduce-only close handed to the HTTP client: p50 and p99",
          .enabled(if: cycles != nil), .timeLimit(.minutes(10)))
    func stopLatency() async throws {
        let cycles = max(1, Self.cycles ?? 1)
        let prices = ["2.224"] + Array(repeating: ["2.224", "2.224", "2.2507", "2.2507"], count: cycles).flatMap { $0 }
        let probe = LatencyProbe(crossing: "2.2507")
        try await VenueLiveHarness.run(prices: prices) { venue in
            let bot = try venue.startBot(strategy: ShortOnceStrategy(everyBar: true), probe: probe)
            await venue.waitUntilTrading(bot)
            while venue.controller.remainingPoints > 0 {
                await venue.stepAndWaitForMark(bot)
                if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil {
                    trace("stepped: \(venue.controller.remainingPoints) left, position \(String(describing: venue.venuePosition?.quantity)), orders \(venue.venueOpenOrders.count), samples \(probe.all.count)")
                }
                await venue.eventually(bot) { KillRestartTests.settled(venue, bot) }
            }
            _ = try await bot.stop()
        }
        let sorted = probe.all.sorted()
        guard !sorted.isEmpty else { Issue.record("no sample"); return }
        func percentile(_ p: Double) -> Duration { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        func micro(_ d: Duration) -> String {
            let (seconds, atto) = d.components
            return String(format: "%.0f µs", Double(seconds) * 1e6 + Double(atto) / 1e12)
        }
        let report = "live stop latency: \(sorted.count) samples; p50 \(micro(percentile(0.5))), p99 \(micro(percentile(0.99))), max \(micro(sorted.last!))"
        print(report)
        trace(report)
    }
}
