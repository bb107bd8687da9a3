import Synchronization
import BinanceFutures
import TradingEngine

/// The WebSocket connector of one bot process, able to kill it at a user-data event: at the
/// `killAtTrade`-th `ORDER_TRADE_UPDATE` carrying a `TRADE` (a fill the venue executed), the
/// process dies before it reads the message (its transport freezes, nothing more reaches it).
/// That is the moment between a fill and its report.
final class KillSwitchConnector: WebSocketConnector, @unchecked Sendable {
    // @unchecked: `trades` is guarded by `lock`.
    private let base: any WebSocketConnector
    private let transport: KillSwitchTransport
    private let killAtTrade: Int?
    /// Sees every message as it arrives, before the bot reads it (the latency benchmark's probe).
    let arrival: (@Sendable ([UInt8]) -> Void)?
    private let lock = Mutex(())
    private var trades = 0

    init(base: any WebSocketConnector, transport: KillSwitchTransport, killAtTrade: Int?, arrival: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.base = base
        self.arrival = arrival
        self.transport = transport
        self.killAtTrade = killAtTrade
    }

    func run(url: String, onConnected: @escaping @Sendable () async -> Void,
             onMessage: @escaping @Sendable ([UInt8]) async -> Bool) async throws {
        try await base.run(url: url, onConnected: onConnected, onMessage: { [self] bytes in
            arrival?(bytes)
            if transport.died { return await transport.frozen() }
            if let killAtTrade, Self.isTrade(bytes) {
                let count = lock.withLock { _ -> Int in
                    trades += 1
                    return trades
                }
                if count == killAtTrade {
                    transport.kill(at: "user-data TRADE report #\(count)")
                    return await transport.frozen()
                }
            }
            return await onMessage(bytes)
        })
    }

    /// An `ORDER_TRADE_UPDATE` whose execution type is `TRADE`.
    static func isTrade(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("\"ORDER_TRADE_UPDATE\"") && text.contains("\"x\":\"TRADE\"")
    }
}
