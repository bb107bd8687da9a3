import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Hummingbird request context of the venue: WebSocket-capable, and keeps the connection's
/// channel so a fault can close it without answering (outcome unknown to the client).
public struct VenueRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<VenueRequestContext>
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
