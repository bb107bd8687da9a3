import CoreMetrics
import TradingEngine

/// Process-wide metrics set-up. Only the app bootstraps swift-metrics; components create
/// `Counter`/`Timer`/`Gauge` by label. The default factory keeps values in memory so that
/// commands can print them (`qt backtest` shows engine counters); the dashboard exports them.
public enum AppMetrics {
    public static let registry = InMemoryMetrics()

    public static func bootstrap() {
        MetricsSystem.bootstrap(registry)
    }
}

/// A small in-memory swift-metrics backend: counters and recorders keyed by label.
public final class InMemoryMetrics: MetricsFactory, @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.
    private let lock = Mutex()
    private var counters: [String: Int64] = [:]
    private var gauges: [String: Double] = [:]
    private var timers: [String: (count: Int64, totalNanoseconds: Int64, maxNanoseconds: Int64)] = [:]

    public init() {}

    /// Current values, sorted by label, for printing.
    public func snapshot() -> [(label: String, value: String)] {
        lock.withLock {
            var rows: [(String, String)] = counters.map { ($0.key, String($0.value)) }
            rows += gauges.map { ($0.key, String($0.value)) }
            rows += timers.map { key, value in
                let mean = value.count > 0 ? value.totalNanoseconds / value.count : 0
                return (key, "count=\(value.count) mean_ns=\(mean) max_ns=\(value.maxNanoseconds)")
            }
            return rows.sorted { $0.0 < $1.0 }
        }
    }

    func add(counter label: String, _ amount: Int64) { lock.withLock { counters[label, default: 0] += amount } }
    func set(gauge label: String, _ value: Double) { lock.withLock { gauges[label] = value } }
    func record(timer label: String, _ nanoseconds: Int64) {
        lock.withLock {
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
