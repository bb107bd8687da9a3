import TradingModel

/// Gap handling for the user-data stream: after any (re)connect the local view may have missed
/// events, so it is marked "resync required", entries are held, and the REST calls that rebuild
/// the view are emitted. Only when all of them succeeded does trading resume.
public struct StreamResyncStateMachine: Sendable, Hashable {
    /// The REST reads that rebuild the local view.
    public enum ResyncCall: String, Sendable, Hashable, CaseIterable, Comparable {
        case openOrders = "GET /fapi/v1/openOrders"
        case openAlgoOrders = "GET /fapi/v1/openAlgoOrders"
        case positions = "GET /fapi/v3/positionRisk"
        case account = "GET /fapi/v3/account"

        public static func < (lhs: ResyncCall, rhs: ResyncCall) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public enum State: Sendable, Hashable {
        /// Not connected; `since` = when the stream was lost (nil before the first connect).
        case disconnected(since: Timestamp?)
        /// Connected, REST snapshot in progress; `pending` calls not yet succeeded.
        case resyncing(pending: Set<ResyncCall>, gapStart: Timestamp?)
        /// Connected and in sync.
        case live
    }

    public enum Action: Sendable, Hashable {
        /// Stop new entries (exits keep running) until in sync again.
        case holdEntries
        /// Perform these REST reads and report each outcome.
        case performREST([ResyncCall])
        /// The view is rebuilt; `gap` = how long the stream was down (nil on first start).
        case resumeTrading(gap: Duration?)
    }

    public private(set) var state: State = .disconnected(since: nil)

    public init() {}

    public var resyncRequired: Bool { state != .live }

    /// The socket closed or failed.
    public mutating func disconnected(at now: Timestamp) -> [Action] {
        switch state {
        case .live:
            state = .disconnected(since: now)
            return [.holdEntries]
        case .resyncing(_, let gapStart):
            state = .disconnected(since: gapStart ?? now)
            return []
        case .disconnected:
            return []
        }
    }

    /// The socket is open again (first connect, reconnect, new listen key).
    public mutating func connected(at now: Timestamp) -> [Action] {
        let gapStart: Timestamp?
        switch state {
        case .disconnected(let since): gapStart = since
        case .resyncing(_, let since): gapStart = since
        case .live: gapStart = now
        }
        let all = Set(ResyncCall.allCases)
        let wasLive = state == .live
        state = .resyncing(pending: all, gapStart: gapStart)
        return (wasLive ? [.holdEntries] : []) + [.performREST(all.sorted())]
    }

    /// One REST read succeeded and its result was applied.
    public mutating func restSucceeded(_ call: ResyncCall, at now: Timestamp) -> [Action] {
        guard case .resyncing(var pending, let gapStart) = state else { return [] }
        pending.remove(call)
        if pending.isEmpty {
            state = .live
            return [.resumeTrading(gap: gapStart.map { now.since($0) })]
        }
        state = .resyncing(pending: pending, gapStart: gapStart)
        return []
    }

    /// One REST read failed: ask for it again (the runtime applies its back-off).
    public mutating func restFailed(_ call: ResyncCall) -> [Action] {
        guard case .resyncing(let pending, _) = state, pending.contains(call) else { return [] }
        return [.performREST([call])]
    }
}
