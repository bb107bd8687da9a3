import TradingEngine

/// Runs the exit executor's decision micro-benchmark with the real monotonic clock. The clock
/// lives here, in the composition root; the engine only receives it.
public enum ExitBenchmark {
    /// Mean nanoseconds per `ExitExecutor.on(.price)` decision that crosses no level.
    public static func run(iterations: Int) -> ExitExecutorBenchmark.Result {
        // Warm-up so the first measured iteration does not pay for page faults and caches.
        _ = ExitExecutorBenchmark.run(iterations: min(iterations, 100_000), clock: ContinuousClock())
        return ExitExecutorBenchmark.run(iterations: iterations, clock: ContinuousClock())
    }
}
