import ServiceLifecycle
import TradingEngine

/// The alert rules' own clock: feeds `.timer(clock.now)` every `interval` (waiting with the
/// injected `sleep`), independent of the trading loop, so a silent stream or a stuck loop is
/// noticed, the digest goes out and the heartbeat beats. Stops at graceful shutdown.
public struct AlertTimer: Service {
    let center: AlertCenter
    let clock: any TradingClock
    let interval: Duration
    let sleep: @Sendable (Duration) async throws -> Void

    public init(center: AlertCenter, clock: any TradingClock, interval: Duration = .seconds(1),
                sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.center = center
        self.clock = clock
        self.interval = interval
        self.sleep = sleep
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await sleep(interval) } catch { return }
                center.feed(.timer(clock.now))
            }
        }
    }
}
