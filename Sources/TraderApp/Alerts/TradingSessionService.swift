import Synchronization
import Alerts
import ServiceLifecycle
import TradingEngine
import TradingModel

/// A trading session (`qt live`, `qt paper --venue`, `--local-venue`) as a `Service` beside the
/// alert services: tells the rules it started and when it stops, runs `session` with a stop
/// request that returns at graceful shutdown (SIGINT/SIGTERM), and keeps the session's result
/// (or error) for the command to print.
public final class TradingSessionService: Service, @unchecked Sendable {
    // @unchecked: `outcome` is written once under `lock` and read after the group ended.
    private let lock = Mutex(())
    private var outcome: Result<any Sendable, any Error>?
    let center: AlertCenter?
    let clock: any TradingClock
    let startDetail: String
    let session: @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> any Sendable
    let stopDetail: @Sendable (any Sendable) -> String

    /// - Parameters:
    ///   - session: runs the session until it ends or `stop` returns; returns its result.
    ///   - stopDetail: the "stopping" message's line from the result (what stays open).
    public init(center: AlertCenter?, clock: any TradingClock, startDetail: String,
                stopDetail: @escaping @Sendable (any Sendable) -> String = { _ in "" },
                session: @escaping @Sendable (_ stop: @escaping @Sendable () async -> Void) async throws -> any Sendable) {
        self.center = center
        self.clock = clock
        self.startDetail = startDetail
        self.stopDetail = stopDetail
        self.session = session
    }

    public func run() async throws {
        center?.feed(.started(time: clock.now, detail: startDetail))
        let result: Result<any Sendable, any Error>
        do {
            result = .success(try await session({ try? await gracefulShutdown() }))
        } catch {
            result = .failure(error)
        }
        let detail: String
        switch result {
        case .success(let value): detail = stopDetail(value)
        case .failure(let error): detail = "the session ended with an error: \(error)"
        }
        center?.feed(.stopping(time: clock.now, detail: detail))
        lock.withLock { _ in outcome = result }
    }

    /// The session's result once the group has ended (nil if it never ran).
    public func result<T>(as type: T.Type) throws -> T? {
        guard let outcome = lock.withLock({ _ in outcome }) else { return nil }
        return try outcome.get() as? T
    }
}
