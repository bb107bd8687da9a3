import TradingEngine
import TradingModel

/// The runtime's loop: one stream of inputs, drained in order by the actor.
extension LiveRuntime {
    /// How venue reports reach the runtime.
    public enum ExecutionDelivery: Sendable {
        /// The client reports synchronously into the runtime's `ExecutionInbox` (simulated
        /// exchange, test doubles); its stream is not read.
        case inbox
        /// Read `client.executionEvents()` (live venues).
        case stream
    }

    /// Runs until the market data ends (a replay) or the task is cancelled. Market events,
    /// venue reports, timer ticks every `timerInterval` of real time (the app's only sleep; nil in
    /// replays and tests, which send `.timer` themselves) and `commands` (manual closes,
    /// reconciliation after a reconnect) are merged into one stream and handled one at a time.
    /// `observer` sees the runtime's `state` after each input and may stop the loop.
    public func run(market: AsyncThrowingStream<MarketEvent, any Error>, delivery: ExecutionDelivery,
                    timerInterval: Duration? = nil, commands: AsyncStream<RuntimeInput>? = nil,
                    observer: (any RuntimeObserver)? = nil) async throws {
        let (inputs, continuation) = AsyncStream<RuntimeInput>.makeStream()
        let client = self.client
        let clock = self.clock
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await event in market { continuation.yield(.market(event)) }
                    continuation.yield(.endOfMarketData)
                } catch {
                    // The feed failed: stop the loop without closing anything (positions keep
                    // their exchange backstops) and report the error to the caller.
                    continuation.finish()
                    throw error
                }
            }
            if case .stream = delivery {
                group.addTask {
                    for await event in client.executionEvents() { continuation.yield(.execution(event)) }
                }
            }
            if let timerInterval {
                group.addTask {
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: timerInterval) } catch { return }
                        continuation.yield(.timer(clock.now))
                    }
                }
            }
            if let commands {
                group.addTask { for await command in commands { continuation.yield(command) } }
            }
            for await input in inputs {
                await handle(input)
                if let observer, await !observer.handled(input, state: state) { break }
                if input == .endOfMarketData || Task.isCancelled { break }
            }
            recordEquitySamples(final: true)
            continuation.finish()
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
