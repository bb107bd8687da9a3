import Logging
import ServiceLifecycle

/// The parts of a live session that run beside its loop — the order lanes, the market and
/// user-data streams, the timer — as services of the trader's `ServiceGroup`.
///
/// They exist only once the session is open (they need the venue's client, its clock with the
/// measured offset and the loop's input stream): each service waits for `LiveSession.run` to
/// hand them over (`open`), runs its part, and ends at its graceful shutdown. The group starts
/// them before the trading session, so its reverse-order shutdown reaches them after the
/// session has stopped its loop, drained the lanes and settled the runtime: the timer first,
/// then the streams, then the lanes (by then finished by the session's bounded shutdown).
/// Without these services (`LiveSession.services` nil: the session's own tests, the
/// kill/restart bot process) the session runs the same parts in its own task group.
public final class LiveSessionServices: Sendable {
    private let lanesHandoff: (stream: AsyncStream<LiveSessionParts>, continuation: AsyncStream<LiveSessionParts>.Continuation)
    private let streamsHandoff: (stream: AsyncStream<LiveSessionParts>, continuation: AsyncStream<LiveSessionParts>.Continuation)
    private let timerHandoff: (stream: AsyncStream<LiveSessionParts>, continuation: AsyncStream<LiveSessionParts>.Continuation)
    /// Each service says when it ended (`live.session_service_stopped`, `live.service`).
    let logger: Logger

    public init(logger: Logger) {
        lanesHandoff = AsyncStream.makeStream(of: LiveSessionParts.self, bufferingPolicy: .bufferingNewest(1))
        streamsHandoff = AsyncStream.makeStream(of: LiveSessionParts.self, bufferingPolicy: .bufferingNewest(1))
        timerHandoff = AsyncStream.makeStream(of: LiveSessionParts.self, bufferingPolicy: .bufferingNewest(1))
        self.logger = logger
    }

    /// In the order a group starts them (and shuts them down in reverse): lanes, streams, timer.
    /// Put them before the trading session.
    public var serviceConfigurations: [ServiceGroupConfiguration.ServiceConfiguration] {
        let logger = self.logger
        return [
            .init(service: Part(name: "lanes", handoff: lanesHandoff.stream, logger: logger) { await $0.lanes.run() }),
            .init(service: Part(name: "streams", handoff: streamsHandoff.stream, logger: logger) { await $0.streams.run() }),
            .init(service: Part(name: "timer", handoff: timerHandoff.stream, logger: logger) { await $0.timer.run() }),
        ]
    }

    /// Hands the opened session's parts to the services (once).
    func open(_ parts: LiveSessionParts) {
        for handoff in [lanesHandoff.continuation, streamsHandoff.continuation, timerHandoff.continuation] {
            handoff.yield(parts)
            handoff.finish()
        }
    }

    /// One part as a service: waits for the session to open, runs the part until it ends or the
    /// service's graceful shutdown cancels it, then stays until that shutdown (a service that
    /// returns while the group shuts another one down ends the group with an error).
    struct Part: Service {
        let name: String
        let handoff: AsyncStream<LiveSessionParts>
        let logger: Logger
        let body: @Sendable (LiveSessionParts) async -> Void

        func run() async {
            await cancelWhenGracefulShutdown {
                for await parts in handoff {
                    await body(parts)
                    break
                }
                try? await gracefulShutdown()
            }
            logger.debug("live.session_service_stopped", metadata: ["live.service": "\(name)"])
        }
    }
}

/// What an opened live session hands to its services: the lanes its runtime sends venue calls
/// through, the stream tasks and the timer, all feeding the session's one input stream.
struct LiveSessionParts: Sendable {
    let lanes: OrderLanes
    let streams: LiveSessionStreams
    let timer: LiveSessionTimer
}
