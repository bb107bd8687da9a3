import Synchronization
import CoreMetrics
import Prometheus
import TradingEngine

/// Process-wide metrics set-up. Only the app bootstraps swift-metrics; components create
/// `Counter`/`Timer`/`Gauge` by label. Two backends behind one multiplexer: an in-memory one
/// whose values the commands print (`qt paper`, `qt live` end with a `metrics:` line) and
/// swift-prometheus, which the dashboard exports at `/metrics`.
public enum AppMetrics {
    public static let registry = InMemoryMetrics()
    /// What `/metrics` serves (Prometheus text format).
    public static let prometheus = PrometheusCollectorRegistry()

    public static func bootstrap() {
        MetricsSystem.bootstrap(MultiplexMetricsHandler(factories: [registry, prometheusFactory(prometheus)]))
    }

    /// A swift-prometheus factory on `registry` with sub-millisecond buckets for the order-latency histogram.
    public static func prometheusFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["qt_price_event_to_order_seconds"] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        return factory
    }
}

/// A small in-memory swift-metrics backend: counters and recorders keyed by label.
public final class InMemoryMetrics: MetricsFactory, @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.
    private let lock = Mutex(())
    private var counters: [String: Int64] = [:]
    private var gauges: [String: Double] = [:]
    private var timers: [String: (count: Int64, totalNanoseconds: Int64, maxNanoseconds: Int64)] = [:]

    public init() {}

    /// Current values, sorted by label, for printing.
    public func snapshot() -> [(label: String, value: String)] {
        lock.withLock { _ in
            var rows: [(String, String)] = counters.map { ($0.key, String($0.value)) }
            rows += gauges.map { ($0.key, String($0.value)) }
            rows += timers.map { key, value in
                let mean = value.count > 0 ? value.totalNanoseconds / value.count : 0
                return (key, "count=\(value.count) mean_ns=\(mean) max_ns=\(value.maxNanoseconds)")
            }
            return rows.sorted { $0.0 < $1.0 }
        }
    }

    func add(counter label: String, _ amount: Int64) { lock.withLock { _ in counters[label, default: 0] += amount } }
    func set(gauge label: String, _ value: Double) { lock.withLock { _ in gauges[label] = value } }
    func record(timer label: String, _ nanoseconds: Int64) {
        lock.withLock { _ in
            var entry = timers[label] ?? (0, 0, 0)
            entry.count += 1
            entry.totalNanoseconds += nanoseconds
            entry.maxNanoseconds = max(entry.maxNanoseconds, nanoseconds)
            timers[label] = entry
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(label: InMemoryMetrics.key(label, dimensions), owner: self)
    }
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(label: InMemoryMetrics.key(label, dimensions), owner: self)
    }
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(label: InMemoryMetrics.key(label, dimensions), owner: self)
    }
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        dimensions.isEmpty ? label : label + "{" + dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    final class Handler: CounterHandler, RecorderHandler, TimerHandler, @unchecked Sendable {
        // @unchecked: immutable after init; writes go through the owner's lock.
        let label: String
        let owner: InMemoryMetrics
        init(label: String, owner: InMemoryMetrics) {
            self.label = label
            self.owner = owner
        }
        func increment(by amount: Int64) { owner.add(counter: label, amount) }
        func reset() {}
        func record(_ value: Int64) { owner.set(gauge: label, Double(value)) }
        func record(_ value: Double) { owner.set(gauge: label, value) }
        func recordNanoseconds(_ duration: Int64) { owner.record(timer: label, duration) }
    }
}
