import Foundation
import Storage
import TradingEngine
import TradingModel

/// `qt close SYMBOL|--all --db FILE [--wait]`: writes a close request into the store of a running
/// `qt live` / `qt paper --venue` session, which carries it out on its next timer tick (through
/// each position's exit owner, reduce-only) and resolves it `done` or `failed` with the reason.
public enum ManualCloseRequest {
    /// Opens the store of a running session. The file must exist: a new, empty store has no
    /// session reading it, so a request there would never be carried out.
    public static func openStore(path: String) throws(LiveRuntimeError) -> any TradeStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LiveRuntimeError("no trade store at \(path); pass the [storage] path of the running qt live / qt paper session with --db")
        }
        do { return try SQLiteTradeStore(path: path) } catch { throw LiveRuntimeError("cannot open the trade store \(path): \(error)") }
    }

    /// Records a pending request (nil symbol: every open position) and returns its id.
    public static func submit(symbol: Symbol?, store: any TradeStore, clock: any TradingClock) throws(LiveRuntimeError) -> Int64 {
        do {
            return try store.recordCloseRequest(CloseRequestRecord(symbol: symbol, requestedAt: clock.now))
        } catch {
            throw LiveRuntimeError("cannot record the close request: \(error)")
        }
    }

    /// Reads the request every `interval` (waiting with `sleep`) until it is resolved or `timeout`
    /// has passed on `clock`; returns its last state (still `pending` after a timeout).
    public static func waitForOutcome(id: Int64, store: any TradeStore, clock: any TradingClock, timeout: Duration,
                                      interval: Duration = .milliseconds(500),
                                      sleep: @Sendable (Duration) async throws -> Void) async throws -> CloseRequestRecord {
        let deadline = clock.now.advanced(by: timeout)
        while true {
            guard let request = try store.closeRequest(id: id) else { throw LiveRuntimeError("close request \(id) is not in the store") }
            if request.state != .pending || clock.now >= deadline { return request }
            try await sleep(interval)
        }
    }
}
