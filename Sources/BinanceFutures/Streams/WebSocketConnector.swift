import Logging
import NIOCore
import WSClient

/// Port for one WebSocket connection, so stream loops run against a scripted connector in
/// tests and `WSClientConnector` in the app.
public protocol WebSocketConnector: Sendable {
    /// Connects to `url`, calls `onConnected` once the socket is open, then delivers every
    /// text/binary message until `onMessage` returns false (we close), the server closes the
    /// socket (returns) or the connection fails (throws). Cancellation closes it.
    func run(url: String, onConnected: @escaping @Sendable () async -> Void,
             onMessage: @escaping @Sendable ([UInt8]) async -> Bool) async throws
}

extension WebSocketConnector {
    /// Delivers every message until the socket closes.
    public func run(url: String, onMessage: @escaping @Sendable ([UInt8]) async -> Void) async throws {
        try await run(url: url, onConnected: {}, onMessage: { bytes in
            await onMessage(bytes)
            return true
        })
    }
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

    public func run(url: String, onConnected: @escaping @Sendable () async -> Void,
                    onMessage: @escaping @Sendable ([UInt8]) async -> Bool) async throws {
        let limit = maximumMessageBytes
        let configuration = WebSocketClientConfiguration(maxFrameSize: limit, autoPing: .enabled(timePeriod: pingInterval))
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, _, _ in
            await onConnected()
            for try await message in inbound.messages(maxSize: limit) {
                let keepGoing: Bool
                switch message {
                case .text(let text): keepGoing = await onMessage(Array(text.utf8))
                case .binary(let buffer): keepGoing = await onMessage(Array(buffer.readableBytesView))
                }
                if !keepGoing { return }
            }
        }
    }
}

/// Suspends until the current task is cancelled (no timer involved).
func waitUntilCancelled() async {
    let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    await withTaskCancellationHandler {
        for await _ in stream {}
    } onCancel: {
        continuation.finish()
    }
}
