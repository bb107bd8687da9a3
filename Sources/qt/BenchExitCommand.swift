import ArgumentParser
import TraderApp
import TradingEngine

/// `qt bench-exit`: how long the exit executor takes to decide on a price event.
struct BenchExitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-exit",
        abstract: "Measure the exit executor's decision time per price event (use a release build).")

    @Option(help: "Number of price events to decide on (at least 1).")
    var iterations: Int = 5_000_000

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1, got \(iterations)") }
    }

    func run() throws {
        let result = ExitBenchmark.run(iterations: iterations)
        let nanoseconds = (result.nanosecondsPerDecision * 10).rounded() / 10
        print("exit executor decision: \(nanoseconds) ns per price event (\(result.iterations) events, \(result.actionsReturned) actions)")
        guard result.actionsReturned == 0 else {
            throw ValidationError("benchmark events crossed a level (\(result.actionsReturned) actions); the figure is not the no-op path")
        }
    }
}
