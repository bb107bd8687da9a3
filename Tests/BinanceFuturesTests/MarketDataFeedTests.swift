import Synchronization
import BinanceFutures
import Logging
import Testing
import TradingEngine
import TradingModel

/// Plays scripted connections: each `run` delivers its messages, then closes or fails.
final class ScriptedConnector: WebSocketConnector, @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    enum Ending { case close, fail }
    private let lock = Mutex(())
    private var sessions: [([[UInt8]], Ending)]
    private var urls: [String] = []

    init(_ sessions: [([[UInt8]], Ending)]) { self.sessions = sessions }

    var connectedURLs: [String] { lock.withLock { _ in urls } }

    struct Dropped: Error {}

    func run(url: String, onConnected: @escaping @Sendable () async -> Void,
             onMessage: @escaping @Sendable ([UInt8]) async -> Bool) async throws {
        let session: ([[UInt8]], Ending)? = lock.withLock { _ in
            urls.append(url)
            return sessions.isEmpty ? nil : sessions.removeFirst()
        }
        await onConnected()
        guard let (messages, ending) = session else {
            // An open socket with nothing to say: stays up until cancelled.
            await suspendUntilCancelled()
            throw Dropped()
        }
        for message in messages where !(await onMessage(message)) { return }
        if ending == .fail { throw Dropped() }
    }
}

@Suite("Market data feed")
struct MarketDataFeedTests {
    @Test(.timeLimit(.minutes(5))) func deliversEngineEventsAndReconnectsWithBackOff() async throws {
        let mark = try fixture("ws_market_markPriceUpdate.json")
        let openKline = try fixture("ws_market_kline.json")
        let trade = try fixture("ws_market_aggTrade.json")
        let connector = ScriptedConnector([([mark, openKline], .close), ([trade], .fail)])
        let waits = PauseRecorder()
        let feed = BinanceMarketDataFeed(
            urls: BinanceStreamURLs(base: "ws://127.0.0.1:9"), connector: connector,
            clock: ManualClock(Timestamp(milliseconds: 1_700_000_000_000)), seed: 3,
            logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }),
            sleep: { duration in
                if duration > .seconds(3600) {
                    // The planned 23 h reconnect: wait until cancelled, never on a real timer.
                    await suspendUntilCancelled()
                    throw CancellationError()
                }
                waits.record(duration)
            })
        var iterator = feed.events(symbols: ["BTCUSDT"]).makeAsyncIterator()
        let first = try await iterator.next()
        let second = try await iterator.next()
        guard case .markPrice(let markPrice)? = first, case .trade(let tradeEvent)? = second else {
            Issue.record("unexpected events \(String(describing: first)) \(String(describing: second))")
            return
        }
        #expect(markPrice.price == Price("11794.15")!)  // the open kline in between was not delivered
        #expect(tradeEvent.price == Price("0.001")!)
        #expect(connector.connectedURLs.first == "ws://127.0.0.1:9/market/stream?streams=btcusdt@markPrice@1s/btcusdt@aggTrade/btcusdt@kline_1m")
        #expect(waits.recorded.count >= 1 && waits.recorded.allSatisfy { $0 <= .seconds(60) })
    }
}
