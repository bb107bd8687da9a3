import Logging
import NIOCore
import WSClient

/// Port for one WebSocket connection, so stream loops run against a scripted connector in
/// tests and `WSClientConnector` in the app.
public protocol WebSocketConnector: Sendable {
    /// Connects to `url` and delivers every text/binary message until the server closes the
    /// socket (returns) or the connection fails (throws). Cancellation closes it.
    func run(url: String, onMessage: @escaping @Sendable ([UInt8]) async -> Void) async throws
}

/// `WebSocketConnector` on swift-websocket's `WebSocketClient` (NIO). Server pings are answered
/// by the library; we also send our own pings so a dead peer is noticed.
public struct WSClientConnector: WebSocketConnector {
    let logger: Logger
    let maximumMessageBytes: Int
    let pingInterval: Duration

    public init(logger: Logger, maximumMessageBytes: Int = 1 << 22, pingInterval: Duration = .seconds(60)) {
        self.logger = logger
        self.maximumMessageBytes = maximumMessageBytes
        self.pingInterval = pingInterval
    }

    public func run(url: String, onMessage: @escaping @Sendable ([UInt8]) async -> Void) async throws {
        let limit = maximumMessageBytes
        let configuration = WebSocketClientConfiguration(maxFrameSize: limit, autoPing: .enabled(timePeriod: pingInterval))
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: limit) {
                switch message {
                case .text(let text): await onMessage(Array(text.utf8))
                case .binary(let buffer): await onMessage(Array(buffer.readableBytesView))
                }
            }
        }
    }
}
