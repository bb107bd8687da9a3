import Synchronization
import BinanceFutures
import TradingEngine

/// The market-data connector of a live session, watching for reconnects. The first connection
/// of a URL passes through; every later one (a reconnect after a drop or the planned 23 h
/// reconnect) first holds entries (`.marketStreamInSync(false)`, into the runtime's input
/// stream, before the new connection delivers its first message) and asks for a resync; the
/// session reconciles and then calls `resynced()`, which allows entries again once no resync is
/// pending. Exits keep running on the new connection's prices meanwhile.
///
/// A lock-protected box (`@unchecked Sendable`: `lock` guards `seenURLs` and `pending`).
final class MarketStreamReconnects: WebSocketConnector, @unchecked Sendable {
    private let lock = Mutex(())
    private let base: any WebSocketConnector
    private let inputs: AsyncStream<RuntimeInput>.Continuation
    private let requests: AsyncStream<String>.Continuation
    private var seenURLs: Set<String> = []
    private var pending = 0
    /// Running connections, each with the signal that ends it (a forced reconnect).
    private var running: [Int: AsyncStream<Void>.Continuation] = [:]
    private var nextConnection = 0
    /// One element per reconnect (its URL), for the session's resync worker.
    let reconnects: AsyncStream<String>

    init(base: any WebSocketConnector, inputs: AsyncStream<RuntimeInput>.Continuation) {
        self.base = base
        self.inputs = inputs
        (reconnects, requests) = AsyncStream.makeStream(of: String.self)
    }

    func run(url: String, onConnected: @escaping @Sendable () async -> Void,
             onMessage: @escaping @Sendable ([UInt8]) async -> Bool) async throws {
        let (kicks, kick) = AsyncStream.makeStream(of: Void.self)
        let id: Int = lock.withLock { _ in
            nextConnection += 1
            running[nextConnection] = kick
            return nextConnection
        }
        defer { _ = lock.withLock { _ in running.removeValue(forKey: id) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [base] in
                try await base.run(url: url, onConnected: { [self] in
                    noteConnected(url)
                    await onConnected()
                }, onMessage: onMessage)
            }
            group.addTask {
                for await _ in kicks { throw ForcedReconnect() }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Ends every running connection now (a silent stream): the feed reconnects with its
    /// back-off, and the reconnect holds entries until the session reconciled.
    func forceReconnect() {
        let kicks = lock.withLock { _ in Array(running.values) }
        for kick in kicks { kick.yield() }
    }

    /// Records a connection; a reconnect holds entries and queues a resync request.
    func noteConnected(_ url: String) {
        lock.withLock { _ in
            guard !seenURLs.insert(url).inserted else { return }
            pending += 1
            // Yielded under the lock, so holds and releases reach the runtime in order.
            if pending == 1 { inputs.yield(.marketStreamInSync(false)) }
            requests.yield(url)
        }
    }

    /// One requested resync reconciled successfully; entries resume when none is pending.
    func resynced() {
        lock.withLock { _ in
            guard pending > 0 else { return }
            pending -= 1
            if pending == 0 { inputs.yield(.marketStreamInSync(true)) }
        }
    }

    /// Ends the request stream (session shutdown).
    func finish() { requests.finish() }
}

/// A connection ended on purpose so that it reconnects.
struct ForcedReconnect: Error {}
