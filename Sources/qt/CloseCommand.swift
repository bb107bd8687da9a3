import ArgumentParser
import Foundation
import TraderApp
import TradingEngine
import TradingModel

/// `qt close SYMBOL|--all --db FILE|--config FILE [--wait [--timeout SECONDS]]`: asks the running live or paper
/// session on that store to close a position (or all) through its exit owner, reduce-only.
struct CloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Ask the running qt live / qt paper session to close a position (or --all) at market, reduce-only."
    )

    @Argument(help: "The symbol whose position to close, e.g. ATOMUSDT.")
    var symbol: String?

    @Flag(name: .long, help: "Close every open position.")
    var all = false

    @OptionGroup var store: StoreOptions

    @Flag(name: .long, help: "Wait for the session to carry the request out and print the outcome.")
    var wait = false

    @Option(name: .long, help: "With --wait: give up after this many seconds (default 60).")
    var timeout: Int = 60

    func validate() throws {
        if (symbol == nil) == !all { throw ValidationError("name one symbol (qt close ATOMUSDT --db FILE) or pass --all, not both") }
        if let symbol, Symbol(symbol) == nil { throw ValidationError("'\(symbol)' is not a symbol (e.g. ATOMUSDT)") }
        if timeout < 1 || timeout > 3600 { throw ValidationError("--timeout must be 1…3600 seconds") }
    }

    func run() async throws {
        let target = symbol.flatMap { Symbol($0) }
        let clock = SystemClock()
        do {
            let store: any TradeStore
            do { store = try self.store.open() } catch let error as ValidationError { throw error } catch {
                throw LiveRuntimeError("cannot open the trade store \(self.store.label): \(error) (the running qt live / qt paper session's [storage])")
            }
            let id = try ManualCloseRequest.submit(symbol: target, store: store, clock: clock)
            print("close request \(id) recorded for \(target?.name ?? "all open positions"); the running session carries it out on its next timer tick")
            guard wait else { return }
            let outcome = try await ManualCloseRequest.waitForOutcome(id: id, store: store, clock: clock, timeout: .seconds(timeout),
                                                                      sleep: { try await Task.sleep(for: $0) })
            switch outcome.state {
            case .done:
                print("close request \(id) done: \(outcome.detail)")
            case .failed:
                printLiveError("close request \(id) failed: \(outcome.detail)")
                throw ExitCode.failure
            case .pending:
                printLiveError("close request \(id) still pending after \(timeout) s: is a qt live / qt paper --venue session running on \(self.store.label)?")
                throw ExitCode.failure
            }
        } catch let error as LiveRuntimeError {
            printLiveError(error.message)
            throw ExitCode.failure
        }
    }
}
