import Logging
import TradingEngine
import TradingModel

/// `MarketDataFeed` on Binance's combined market streams (mark price 1 s, aggregate trades,
/// 1 m klines on `/market`). Reconnects with `ReconnectPolicy` back-off after a failure and
/// on its own schedule before the 24 h limit. Every event carries venue time and receive time.
///
/// A thin loop: parsing, URLs and back-off are the tested value types; this only wires them.
public struct BinanceMarketDataFeed: MarketDataFeed {
    let urls: BinanceStreamURLs
    let connector: any WebSocketConnector
    let clock: any TradingClock
    let seed: UInt64
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let onProblem: @Sendable (BinanceStreamProblem) -> Void

    /// - Parameters:
    ///   - sleep: waits for back-off and planned reconnects (`Task.sleep` in the app).
    ///   - onProblem: told of every message dropped as unparseable or absurd (after it is logged).
    public init(urls: BinanceStreamURLs, connector: any WebSocketConnector, clock: any TradingClock, seed: UInt64,
                logger: Logger, sleep: @escaping @Sendable (Duration) async throws -> Void,
                onProblem: @escaping @Sendable (BinanceStreamProblem) -> Void = { _ in }) {
        self.urls = urls
        self.connector = connector
        self.clock = clock
        self.seed = seed
        self.logger = logger
        self.sleep = sleep
        self.onProblem = onProblem
    }

    /// The streams the engine consumes for `symbols` (book tickers are not engine events).
    public static func streams(for symbols: [Symbol]) -> [BinanceStream] {
        symbols.flatMap { [BinanceStream.markPrice1s($0), .aggregateTrades($0), .klines($0, interval: "1m")] }
    }

    public func events(symbols: [Symbol]) -> AsyncThrowingStream<MarketEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: MarketEvent.self)
        // The stream's consumer owns the loop's lifetime: terminating the stream cancels it.
        let task = Task { await run(symbols: symbols, yield: { continuation.yield($0) }) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Runs until cancelled, delivering engine events. One connection per combined URL.
    public func run(symbols: [Symbol], yield: @escaping @Sendable (MarketEvent) -> Void) async {
        let connections = urls.combinedStreamURLs(Self.streams(for: symbols))
        await withTaskGroup(of: Void.self) { group in
            for (index, url) in connections.enumerated() {
                group.addTask { await maintain(url: url, seed: seed &+ UInt64(index), yield: yield) }
            }
        }
    }

    func maintain(url: String, seed: UInt64, yield: @escaping @Sendable (MarketEvent) -> Void) async {
        var policy = ReconnectPolicy(seed: seed)
        while !Task.isCancelled {
            let connectedAt = clock.now
            let planned = policy.plannedReconnect(connectedAt: connectedAt)
            let clock = self.clock
            let logger = self.logger
            let onProblem = self.onProblem
            let outcome: String = await withTaskGroup(of: String.self) { group in
                group.addTask {
                    do {
                        try await connector.run(url: url) { bytes in
                            let receivedAt = clock.now
                            do throws(BinanceDecodingError) {
                                let message = try BinanceMarketStreamParser.parse(bytes, receivedAt: receivedAt)
                                if let event = message.marketEvent { yield(event) }
                            } catch {
                                logger.error("binance.market_message_unparseable", metadata: ["binance.error": "\(error)"])
                                onProblem(BinanceStreamProblem(stream: .market, error: error, receivedAt: receivedAt))
                            }
                        }
                        return "closed"
                    } catch {
                        return "failed"
                    }
                }
                group.addTask {
                    do { try await sleep(planned.since(connectedAt)) } catch { return "cancelled" }
                    return "planned"
                }
                let first = await group.next() ?? "cancelled"
                group.cancelAll()
                return first
            }
            if Task.isCancelled { return }
            if outcome == "planned" {
                logger.info("binance.market_stream_planned_reconnect", metadata: ["binance.url": "\(url)"])
                policy.connectionSucceeded()
                continue
            }
            if clock.now.since(connectedAt) > .seconds(60) { policy.connectionSucceeded() }
            let delay = policy.delayAfterFailure()
            logger.warning("binance.market_stream_reconnecting", metadata: [
                "binance.url": "\(url)", "binance.outcome": "\(outcome)", "binance.delay": "\(delay)",
            ])
            do { try await sleep(delay) } catch { return }
        }
    }
}
