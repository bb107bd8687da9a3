import BinanceFutures
import Logging

/// Where `qt paper --venue` reads its warm-up history: the venue's public `GET /fapi/v1/klines`
/// (no API keys) over `transport`, with the waits of `HistoryBackfill`.
public struct PaperHistory: Sendable {
    public var transport: any HTTPTransport
    public var logger: Logger
    public var pause: @Sendable (Duration) async -> Void
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(transport: any HTTPTransport, logger: Logger, pause: @escaping @Sendable (Duration) async -> Void,
                sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.transport = transport
        self.logger = logger
        self.pause = pause
        self.sleep = sleep
    }
}
