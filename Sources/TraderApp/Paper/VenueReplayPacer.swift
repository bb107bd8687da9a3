/// Paces a local venue's price path by what a paper session has consumed, so the replay runs
/// as fast as the session handles it and never races ahead of it by more than `window` points.
/// Pure: it counts and says how many points to step; the caller steps the venue.
///
/// Every published point produces a known number of market events for the session (the local
/// venue: mark price and trade, plus the closed kline when the point closes a candle). A point
/// is consumed when that many events of it were handled; the replay is finished when every
/// point is consumed. An event beyond what was published is a mismatch (fail closed: the
/// session stops rather than trade on events it cannot place).
public struct VenueReplayPacer: Sendable, Hashable {
    /// What the caller does next.
    public enum Action: Sendable, Hashable {
        /// Publish this many more points.
        case step(Int)
        /// Nothing yet: wait for the session to consume.
        case wait
        /// Every point was published and consumed.
        case finished
    }

    /// Who moves the path.
    public enum Mode: Sendable, Hashable {
        /// The pacer: at most `window` points published and not yet consumed.
        case lockstep(window: Int)
        /// Something else (a wall-clock replay); the pacer only tells when the path is consumed.
        case external
    }

    /// The session handled more events than the venue published.
    public struct Mismatch: Error, Sendable, Hashable, CustomStringConvertible {
        public var consumedPoints: Int
        public var publishedPoints: Int
        public var description: String {
            "the session received a market event the local venue did not publish (points consumed \(consumedPoints), "
                + "published \(publishedPoints)); the replay stops"
        }
    }

    public let mode: Mode
    /// Events each point produces, in path order (the points still to publish).
    public let eventsPerPoint: [Int]
    /// Points stepped so far (lockstep only).
    public private(set) var published = 0
    /// Points whose events were all handled.
    public private(set) var consumed = 0
    var handledOfCurrentPoint = 0

    public init(eventsPerPoint: [Int], mode: Mode) {
        precondition(eventsPerPoint.allSatisfy { $0 >= 1 }, "every point produces at least one event")
        if case .lockstep(let window) = mode { precondition(window >= 1, "the window holds at least one point") }
        self.eventsPerPoint = eventsPerPoint
        self.mode = mode
    }

    /// The first action, once the session listens: the first window in lockstep.
    public mutating func start() -> Action {
        eventsPerPoint.isEmpty ? .finished : refill()
    }

    /// The session handled one market event of the replay.
    public mutating func handledEvent() throws(Mismatch) -> Action {
        let limit = mode == .external ? eventsPerPoint.count : published
        guard consumed < limit else { throw Mismatch(consumedPoints: consumed, publishedPoints: limit) }
        handledOfCurrentPoint += 1
        if handledOfCurrentPoint == eventsPerPoint[consumed] {
            consumed += 1
            handledOfCurrentPoint = 0
        }
        if consumed == eventsPerPoint.count { return .finished }
        return refill()
    }

    mutating func refill() -> Action {
        guard case .lockstep(let window) = mode else { return .wait }
        let target = min(eventsPerPoint.count, consumed + window)
        guard target > published else { return .wait }
        defer { published = target }
        return .step(target - published)
    }
}
