import TradingModel

/// The listen-key lifecycle as a value-type state machine: create, extend every
/// `keepAliveInterval` (30–50 min; a key lives 60 min), and on expiry (`listenKeyExpired`
/// event or `-1125` on a keep-alive) create a new key, reconnect the user stream and resync
/// from REST (events may have been missed). The runtime performs the returned actions and
/// feeds their outcomes back.
public struct ListenKeyKeepAlive: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case idle
        /// Waiting for `POST /fapi/v1/listenKey`; `afterExpiry` = a resync is owed once connected.
        case creating(afterExpiry: Bool)
        case active(key: String, extendedAt: Timestamp)
        /// Waiting for `PUT /fapi/v1/listenKey`.
        case extending(key: String, requestedAt: Timestamp)
    }

    public enum Action: Sendable, Hashable {
        case createListenKey
        case extendListenKey(String)
        /// Connect the user stream with this key (first time or after a new key).
        case connectUserStream(key: String)
        /// Events may have been missed: fetch open orders, open algo orders, positions, account.
        case resyncFromREST
        /// Call `tick` again at this instant.
        case scheduleTick(at: Timestamp)
    }

    public private(set) var state: State = .idle
    public let keepAliveInterval: Duration
    /// Retry delay after a failed (non-expiry) keep-alive; the key still has time left.
    public let retryDelay: Duration

    public init(keepAliveInterval: Duration = .seconds(30 * 60), retryDelay: Duration = .seconds(60)) {
        precondition(keepAliveInterval >= .seconds(30 * 60) && keepAliveInterval <= .seconds(50 * 60),
                     "keep-alive must be every 30–50 minutes")
        self.keepAliveInterval = keepAliveInterval
        self.retryDelay = retryDelay
    }

    public mutating func start() -> [Action] {
        guard state == .idle else { return [] }
        state = .creating(afterExpiry: false)
        return [.createListenKey]
    }

    /// `POST /fapi/v1/listenKey` returned `key`.
    public mutating func created(_ key: String, at now: Timestamp) -> [Action] {
        guard case .creating(let afterExpiry) = state else { return [] }
        state = .active(key: key, extendedAt: now)
        var actions: [Action] = [.connectUserStream(key: key)]
        if afterExpiry { actions.append(.resyncFromREST) }
        actions.append(.scheduleTick(at: now.advanced(by: keepAliveInterval)))
        return actions
    }

    /// Creating the key failed: try again after `retryDelay`.
    public mutating func creationFailed(at now: Timestamp) -> [Action] {
        guard case .creating = state else { return [] }
        return [.scheduleTick(at: now.advanced(by: retryDelay))]
    }

    /// Timer: extend when due (or retry a pending creation).
    public mutating func tick(at now: Timestamp) -> [Action] {
        switch state {
        case .idle, .extending:
            return []
        case .creating:
            return [.createListenKey]
        case .active(let key, let extendedAt):
            let due = extendedAt.advanced(by: keepAliveInterval)
            guard now >= due else { return [.scheduleTick(at: due)] }
            state = .extending(key: key, requestedAt: now)
            return [.extendListenKey(key)]
        }
    }

    /// `PUT /fapi/v1/listenKey` succeeded.
    public mutating func extended(at now: Timestamp) -> [Action] {
        guard case .extending(let key, _) = state else { return [] }
        state = .active(key: key, extendedAt: now)
        return [.scheduleTick(at: now.advanced(by: keepAliveInterval))]
    }

    /// `PUT` failed. `-1125` (key unknown) is an expiry; anything else is retried soon.
    public mutating func extendFailed(code: Int?, at now: Timestamp) -> [Action] {
        guard case .extending(let key, let requestedAt) = state else { return [] }
        if code == -1125 { return expired(at: now) }
        _ = requestedAt
        state = .active(key: key, extendedAt: now.advanced(by: retryDelay - keepAliveInterval))
        return [.scheduleTick(at: now.advanced(by: retryDelay))]
    }

    /// `listenKeyExpired` arrived (or the key is otherwise gone): new key, reconnect, resync.
    public mutating func expired(at now: Timestamp) -> [Action] {
        if case .creating = state { return [] }
        state = .creating(afterExpiry: true)
        return [.createListenKey]
    }

    public var currentKey: String? {
        switch state {
        case .active(let key, _), .extending(let key, _): key
        case .idle, .creating: nil
        }
    }
}
