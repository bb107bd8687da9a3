import Synchronization
import BinanceFutures
import CoreMetrics
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
    private let lock = Mutex(())
    private let crossing: String
    private var arrivedAt: ContinuousClock.Instant?
    private var samples: [Duration] = []
    /// The runtime's own share (`qt_price_event_to_order_seconds`: price event taken → order handed to its lane).
    let runtimeTimer = TimerSamples(label: "qt_price_event_to_order_seconds")
    /// True: the harness's observer does not copy the runtime's state after each input (what `qt live` does not do either).
    let leanObserver: Bool

    /// - Parameter crossing: the mark price text (`"p":"…"`) that crosses the stop.
    init(crossing: String, leanObserver: Bool = false) {
        self.crossing = crossing
        self.leanObserver = leanObserver
    }

    func arrived(_ bytes: [UInt8]) {
        let now = ContinuousClock.now
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("markPriceUpdate") else { return }
        // The start is the latest crossing mark: a crossing mark that found no position (the
        // cycle's second 2.2507, flat) must not become the start of the next cycle's sample,
        // so any other mark clears it.
        let crosses = text.contains("\"p\":\"\(crossing)")
        lock.withLock { _ in arrivedAt = crosses ? now : nil }
    }

    func handedOver(_ request: HTTPRequestData) {
        let now = ContinuousClock.now
        guard request.method == .post, request.path == "/fapi/v1/order" else { return }
        let text = request.query + "&" + String(decoding: request.body, as: UTF8.self)
        guard text.contains("reduceOnly=true"), text.contains("-sl") else { return }
        lock.withLock { _ in
            if let start = arrivedAt { samples.append(now - start) }
            arrivedAt = nil
        }
    }

    var all: [Duration] { lock.withLock { _ in samples } }
}

/// A swift-metrics factory that keeps every value of one timer (others are dropped).
final class TimerSamples: MetricsFactory, TimerHandler, @unchecked Sendable {
    // @unchecked: `values` is guarded by `lock`.
    private let lock = Mutex(())
    private let label: String
    private var values: [Int64] = []
    init(label: String) { self.label = label }

    func recordNanoseconds(_ duration: Int64) { lock.withLock { _ in values.append(duration) } }
    var all: [Duration] { lock.withLock { _ in values.map { .nanoseconds($0) } } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { NOOPMetricsHandler.instance }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { NOOPMetricsHandler.instance }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        label == self.label ? self : NOOPMetricsHandler.instance
    }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// A benchmark, not a test: run by `make bench-live` (`QT_BENCH_LIVE_LATENCY=<cycles>`); skipped
/// otherwise. Each cycle: a SHORT 446.03 @ 2.224 entered, protected, then the 2.2507 mark crosses
/// its 2.250688 stop; one sample per cycle through the real adapter against the local venue.
@Suite("Benchmark: live stop latency against the local venue")
struct LiveLatencyBenchmark {
    static let cycles = ProcessInfo.processInfo.environment["QT_BENCH_LIVE_LATENCY"].flatMap { Int($0) }

    @Test("Market message crossing a stop → reduce-only close handed to the HTTP client: p50 and p99 (with and without the harness's state copy)",
          .enabled(if: cycles != nil), .timeLimit(.minutes(20)))
    func stopLatency() async throws {
        let cycles = max(1, Self.cycles ?? 1)
        for lean in [false, true] {
            let probe = LatencyProbe(crossing: "2.2507", leanObserver: lean)
            try await Self.measure(cycles: cycles, probe: probe)
            let total = probe.all.sorted()
            guard !total.isEmpty else { Issue.record("no sample"); return }
            let runtime = probe.runtimeTimer.all.sorted()
            let label = lean ? "lean observer" : "state observer"
            let report = "live stop latency (\(label)): \(total.count) samples; socket → HTTP client p50 \(Self.micro(Self.percentile(total, 0.5))), "
                + "p99 \(Self.micro(Self.percentile(total, 0.99))), max \(Self.micro(total.last!)); "
                + "runtime share (price event → lane) p50 \(Self.micro(Self.percentile(runtime, 0.5))), p99 \(Self.micro(Self.percentile(runtime, 0.99)))"
            print(report)
            trace(report)
        }
    }

    /// One run of `cycles` entries and stop-outs, sampled by `probe`.
    static func measure(cycles: Int, probe: LatencyProbe) async throws {
        let prices = ["2.224"] + Array(repeating: ["2.224", "2.224", "2.2507", "2.2507"], count: cycles).flatMap { $0 }
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
    }

    static func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    static func micro(_ d: Duration) -> String {
        let (seconds, atto) = d.components
        return String(format: "%.0f µs", Double(seconds) * 1e6 + Double(atto) / 1e12)
    }
}
