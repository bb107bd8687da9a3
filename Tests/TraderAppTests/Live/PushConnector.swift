import Synchronization
import BinanceFutures
import TradingEngine
import TradingTestSupport

/// A WebSocket connector whose connections the test drives: market or user-data messages are
/// pushed into the current connection of that kind, a connection can be dropped, and the next
/// user-data connection can be held until released. No network.
final class PushConnector: WebSocketConnector, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    enum Kind: Sendable { case market, user }
    struct Dropped: Error {}

    private let lock = Mutex(())
    private var current: [Kind: AsyncStream<[UInt8]>.Continuation] = [:]
    private var dropped: Set<Kind> = []
    private var userGate: AsyncStream<Void>.Continuation?
    private var userGateStream: AsyncStream<Void>?
    /// Every connection opened, by URL, in order (after its `onConnected`).
    let connections = Observed<String>()

    func run(url: String, onConnected: @escaping @Sendable () async -> Void,
             onMessage: @escaping @Sendable ([UInt8]) async -> Bool) async throws {
        let kind: Kind = url.contains("/private/") ? .user : .market
        if kind == .user, let gate = lock.withLock({ _ in userGateStream }) {
            for await _ in gate { break }
            if Task.isCancelled { return }
        }
        let (messages, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        lock.withLock { _ in
            current[kind] = continuation
            dropped.remove(kind)
        }
        await onConnected()
        connections.append(url)
        await withTaskCancellationHandler {
            for await message in messages where !(await onMessage(message)) { return }
        } onCancel: {
            continuation.finish()
        }
        if lock.withLock({ _ in dropped.contains(kind) }) { throw Dropped() }
    }

    func send(_ json: String, to kind: Kind) { _ = lock.withLock { _ in current[kind]?.yield(Array(json.utf8)) } }

    /// Fails the current connection of `kind` (the runner reconnects).
    func drop(_ kind: Kind) {
        lock.withLock { _ in
            dropped.insert(kind)
            current[kind]?.finish()
            current[kind] = nil
        }
    }

    /// The next user-data connections wait until `releaseUserConnections()`.
    func holdUserConnections() {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        lock.withLock { _ in
            userGateStream = stream
            userGate = continuation
        }
    }

    func releaseUserConnections() {
        let gate = lock.withLock { _ in
            defer { userGate = nil; userGateStream = nil }
            return userGate
        }
        gate?.yield()
        gate?.finish()
    }
}
