import Synchronization
import Logging
import TradingEngine
import TradingModel

/// Keeps the user-data stream alive and the local view in sync: creates the listen key,
/// connects `/private/ws?listenKey=`, extends the key on schedule, and after every (re)connect
/// holds entries and runs the REST resync (open orders, open algo orders, positions, account)
/// before allowing entries again. `listenKeyExpired`, `-1125` and dropped sockets all lead to
/// reconnect + resync; nothing is assumed about events that may have been missed.
///
/// A thin runner: the decisions live in `ListenKeyKeepAlive`, `StreamResyncStateMachine` and
/// `ReconnectPolicy`; messages go to `BinanceExecutionClient.handleUserDataMessage`.
public struct BinanceUserDataStream: Sendable {
    let client: BinanceExecutionClient
    let urls: BinanceStreamURLs
    let connector: any WebSocketConnector
    let clock: any TradingClock
    let seed: UInt64
    let keepAliveInterval: Duration
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    /// Performs one resync read and applies it (reconciliation); true on success.
    let performResync: @Sendable (StreamResyncStateMachine.ResyncCall) async -> Bool
    /// false = hold new entries (resync required); true = in sync, entries allowed.
    let setEntriesAllowed: @Sendable (Bool) async -> Void

    public init(client: BinanceExecutionClient, urls: BinanceStreamURLs, connector: any WebSocketConnector, clock: any TradingClock,
                seed: UInt64, keepAliveInterval: Duration = .seconds(30 * 60), logger: Logger,
                sleep: @escaping @Sendable (Duration) async throws -> Void,
                performResync: @escaping @Sendable (StreamResyncStateMachine.ResyncCall) async -> Bool,
                setEntriesAllowed: @escaping @Sendable (Bool) async -> Void) {
        self.client = client
        self.urls = urls
        self.connector = connector
        self.clock = clock
        self.seed = seed
        self.keepAliveInterval = keepAliveInterval
        self.logger = logger
        self.sleep = sleep
        self.performResync = performResync
        self.setEntriesAllowed = setEntriesAllowed
    }

    enum SessionEnd: Sendable { case keyExpired, socketClosed, socketFailed, cancelled }

    /// Runs until cancelled.
    public func run() async {
        var policy = ReconnectPolicy(seed: seed)
        var keepAlive = ListenKeyKeepAlive(keepAliveInterval: keepAliveInterval)
        var resync = StreamResyncStateMachine()
        await setEntriesAllowed(false)
        _ = keepAlive.start()
        while !Task.isCancelled {
            let key: String
            do {
                key = try await client.createListenKey()
            } catch {
                logger.warning("binance.listen_key_create_failed", metadata: ["binance.error": "\(error)"])
                _ = keepAlive.creationFailed(at: clock.now)
                do { try await sleep(policy.delayAfterFailure()) } catch { return }
                continue
            }
            _ = keepAlive.created(key, at: clock.now)
            let (end, updated, resyncAfter) = await session(key: key, keepAlive: keepAlive, resync: resync)
            keepAlive = updated
            resync = resyncAfter
            if end == .cancelled || Task.isCancelled { return }
            for action in resync.disconnected(at: clock.now) where action == .holdEntries { await setEntriesAllowed(false) }
            logger.warning("binance.user_stream_reconnecting", metadata: ["binance.reason": "\(end)"])
            // Either way a key is (re)requested: POST returns the active key if it is still valid.
            _ = keepAlive.expired(at: clock.now)
            if end == .keyExpired {
                policy.connectionSucceeded()
            } else {
                do { try await sleep(policy.delayAfterFailure()) } catch { return }
            }
        }
    }

    /// One connection: socket, keep-alive timer and resync run together; the first to finish ends it.
    func session(key: String, keepAlive: ListenKeyKeepAlive, resync: StreamResyncStateMachine)
        async -> (SessionEnd, ListenKeyKeepAlive, StreamResyncStateMachine)
    {
        let (connectedSignal, connectedContinuation) = AsyncStream.makeStream(of: Void.self)
        let box = SessionBox(keepAlive: keepAlive, resync: resync)
        let end: SessionEnd = await withTaskGroup(of: SessionEnd.self) { group in
            group.addTask {
                do {
                    try await connector.run(url: urls.userDataURL(listenKey: key), onConnected: {
                        connectedContinuation.yield()
                    }, onMessage: { bytes in
                        let event = client.handleUserDataMessage(bytes, receivedAt: clock.now)
                        if case .listenKeyExpired = event { box.expired = true; return false }
                        return true
                    })
                    return box.expired ? .keyExpired : .socketClosed
                } catch {
                    return Task.isCancelled ? .cancelled : .socketFailed
                }
            }
            group.addTask { await keepAliveLoop(box: box) }
            group.addTask {
                for await _ in connectedSignal {
                    await resyncAfterConnect(box: box)
                    break
                }
                // Resync done (or never connected): wait for the other tasks.
                await waitUntilCancelled()
                return .cancelled
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            connectedContinuation.finish()
            return first
        }
        return (end, box.keepAlive, box.resync)
    }

    func keepAliveLoop(box: SessionBox) async -> SessionEnd {
        var actions = box.withKeepAlive { $0.tick(at: clock.now) }
        while !Task.isCancelled {
            guard case .scheduleTick(let at)? = actions.last(where: { if case .scheduleTick = $0 { true } else { false } }) else { return .keyExpired }
            do { try await sleep(at.since(clock.now)) } catch { return .cancelled }
            actions = box.withKeepAlive { $0.tick(at: clock.now) }
            guard actions.contains(where: { if case .extendListenKey = $0 { true } else { false } }) else { continue }
            do {
                try await client.keepAliveListenKey()
                actions = box.withKeepAlive { $0.extended(at: clock.now) }
            } catch {
                actions = box.withKeepAlive { $0.extendFailed(code: error.code, at: clock.now) }
                if actions.contains(.createListenKey) { return .keyExpired }
            }
        }
        return .cancelled
    }

    func resyncAfterConnect(box: SessionBox) async {
        var actions = box.withResync { $0.connected(at: clock.now) }
        var policy = ReconnectPolicy(seed: seed &+ 0x5EED)
        while !Task.isCancelled {
            var next: [StreamResyncStateMachine.Action] = []
            for action in actions {
                switch action {
                case .holdEntries:
                    await setEntriesAllowed(false)
                case .resumeTrading(let gap):
                    client.releaseHeldUserDataUpdates()
                    logger.info("binance.user_stream_in_sync", metadata: ["binance.gap": "\(gap.map { "\($0)" } ?? "none")"])
                    await setEntriesAllowed(true)
                    return
                case .performREST(let calls):
                    for call in calls {
                        if await performResync(call) {
                            next += box.withResync { $0.restSucceeded(call, at: clock.now) }
                        } else {
                            do { try await sleep(policy.delayAfterFailure()) } catch { return }
                            next += box.withResync { $0.restFailed(call) }
                        }
                    }
                }
            }
            if next.isEmpty { return }
            actions = next
        }
    }
}

/// The state machines of one session, shared by its child tasks.
final class SessionBox: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = Mutex(())
    private var keepAliveValue: ListenKeyKeepAlive
    private var resyncValue: StreamResyncStateMachine
    private var expiredValue = false

    init(keepAlive: ListenKeyKeepAlive, resync: StreamResyncStateMachine) {
        keepAliveValue = keepAlive
        resyncValue = resync
    }

    var keepAlive: ListenKeyKeepAlive { lock.withLock { _ in keepAliveValue } }
    var resync: StreamResyncStateMachine { lock.withLock { _ in resyncValue } }
    var expired: Bool {
        get { lock.withLock { _ in expiredValue } }
        set { lock.withLock { _ in expiredValue = newValue } }
    }

    func withKeepAlive<T>(_ body: (inout ListenKeyKeepAlive) -> T) -> T { lock.withLock { _ in body(&keepAliveValue) } }
    func withResync<T>(_ body: (inout StreamResyncStateMachine) -> T) -> T { lock.withLock { _ in body(&resyncValue) } }
}
