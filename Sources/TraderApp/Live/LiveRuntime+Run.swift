import TradingEngine
import TradingModel

/// The runtime's loop: one stream of inputs, drained in order by the actor.
extension LiveRuntime {
    /// Runs until the market data ends or the task is cancelled. Market events, timer ticks every
    /// `timerInterval` of real time (the app's only sleep; nil in tests, which send `.timer`
    /// themselves) and `commands` (venue reports, manual closes, reconciliation after a
    /// reconnect) are merged into one stream and handled one at a time. Venue reports of a
    /// client that reports synchronously arrive in the `ExecutionInbox`.
    ///
    /// `beforeMarket` sees each market event on the loop just before the runtime handles it: a
    /// paper session's simulated execution client follows the market data there (its fills at a
    /// price are in the inbox before the kernel sees the price), and a replayed venue's clock
    /// moves to the event's time. `observer` sees the runtime's `state` after each input and
    /// may stop the loop.
    public func run(market: AsyncThrowingStream<MarketEvent, any Error>, timerInterval: Duration? = nil,
                    commands: AsyncStream<RuntimeInput>? = nil, observer: (any RuntimeObserver)? = nil,
                    beforeMarket: (@Sendable (MarketEvent) -> Void)? = nil) async throws {
        let (inputs, continuation) = AsyncStream<RuntimeInput>.makeStream()
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
                if let beforeMarket, case .market(let event) = input { beforeMarket(event) }
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
