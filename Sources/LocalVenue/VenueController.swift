import Synchronization
import Backtest
import TradingEngine
import TradingModel

/// Drives the local venue: owns the `VenueEngine`, the price path, the scripted faults and the
/// open WebSocket connections. Time and prices move only through `step()` / `advance(by:)`
/// (in-process, or `POST /venue/step` on a hand-run server), so tests never wait on the clock.
///
/// A lock-protected box around value-type state; stream messages are handed to connection
/// streams after each change, outside the state lock and in the order they were drained.
public final class VenueController: @unchecked Sendable {
    // @unchecked: every mutable field is accessed only under `lock`.
    let lock = Mutex(())
    /// Held for a whole delivery (drain, then hand over), before `lock`.
    private let deliveryLock = Mutex(())
    var engine: VenueEngine
    private let path: PricePath
    private var cursor = 0
    private let authenticator: VenueAuthenticator
    private var faults: [VenueFaultRule] = []
    private var rateLimitedUntil: Timestamp?
    private var limiter: VenueRateLimiter
    private var holdingUserData = false
    private var heldUserData: [String] = []
    /// User-data outage: messages are discarded, never delivered (Binance does not replay them).
    private var losingUserData = false
    /// Every user-data message is delivered twice (duplicates).
    private var duplicatingUserData = false
    /// Market messages are not delivered while the sockets stay open (a silent stream).
    private var mutedMarket = false
    private var connections: [Int: Connection] = [:]
    private var nextConnectionID = 0
    private var log: [VenueRequestRecord] = []
    private var counters = VenueObservation()
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiterID = 0

    /// One outbound item for a WebSocket connection.
    public enum Outbound: Sendable, Hashable {
        case text(String)
        /// Close the connection (drop fault, expired listen key).
        case close
    }

    enum ConnectionKind: Sendable, Hashable {
        case user(listenKey: String)
        case market(streams: Set<String>)
    }

    struct Connection: Sendable {
        var kind: ConnectionKind
        var continuation: AsyncStream<Outbound>.Continuation
    }

    struct Waiter: Sendable {
        var predicate: @Sendable (VenueObservation) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    /// - Parameters:
    ///   - credentials: API key → HMAC secret accepted by the venue.
    ///   - start: venue time before the first point (default: the first point's time).
    ///   - rateLimits: request-weight and order-count limits (published in `exchangeInfo`, enforced with 429/418).
    /// The first price point is applied at once, so orders have a price to fill at.
    public init(path: PricePath, instruments: [Instrument], initialBalance: Money, credentials: [String: String],
                settings: SimulatedExchangeSettings = VenueEngine.defaultSettings, start: Timestamp? = nil,
                rateLimits: VenueRateLimits = .binance) {
        precondition(!path.points.isEmpty, "the venue needs at least one price point")
        self.path = path
        self.authenticator = VenueAuthenticator(secrets: credentials)
        self.limiter = VenueRateLimiter(limits: rateLimits)
        self.engine = VenueEngine(instruments: instruments, initialBalance: initialBalance, settings: settings,
                                  start: start ?? path.points[0].time)
        engine.rateLimits = rateLimits
        engine.apply(path.points[0])
        cursor = 1
        _ = engine.drainOutboxes()
    }

    // MARK: Time and prices

    /// Venue time.
    public var now: Timestamp { lock.withLock { _ in engine.now } }

    /// Time of the next price point; nil at the end of the path.
    public var nextPointTime: Timestamp? { lock.withLock { _ in cursor < path.points.count ? path.points[cursor].time : nil } }

    /// Price points not yet applied.
    public var remainingPoints: Int { lock.withLock { _ in path.points.count - cursor } }

    /// Applies the next price point (fills, triggers, market messages). False at the end of the path.
    @discardableResult
    public func step() -> Bool {
        let applied: Bool = lock.withLock { _ in
            guard cursor < path.points.count else { return false }
            engine.apply(path.points[cursor])
            cursor += 1
            return true
        }
        deliver()
        return applied
    }

    /// Applies `count` points (or until the path ends); returns how many were applied.
    @discardableResult
    public func step(count: Int) -> Int {
        var applied = 0
        while applied < count, step() { applied += 1 }
        return applied
    }

    /// Moves venue time forward without a price change (listen keys may expire).
    public func advance(by span: Duration) {
        lock.withLock { _ in engine.advanceTime(to: engine.now.advanced(by: span)) }
        deliver()
    }

    // MARK: Faults

    /// Scripts `fault` for the next `times` requests matching `method`/`path` (nil = any).
    public func inject(_ fault: VenueFault, method: String? = nil, path: String? = nil, times: Int = 1) {
        precondition(times >= 1, "a fault applies at least once")
        lock.withLock { _ in faults.append(VenueFaultRule(method: method, path: path, fault: fault, remaining: times)) }
    }

    /// Lets every answer held by the `slowAnswer` fault go out.
    public func releaseSlowAnswers() {
        lock.withLock { _ in counters.slowAnswersReleased += 1 }
        notifyWaiters()
    }

    /// Reports the next fill in `parts` `ORDER_TRADE_UPDATE`s (PARTIALLY_FILLED…FILLED).
    public func splitNextFill(into parts: Int) {
        precondition(parts >= 1, "at least one part")
        lock.withLock { _ in engine.partialFillParts = parts }
    }

    /// Holds user-data messages until `releaseUserData()` (delayed events).
    public func holdUserData() { lock.withLock { _ in holdingUserData = true } }

    /// Delivers the held user-data messages and stops holding.
    public func releaseUserData() {
        lock.withLock { _ in holdingUserData = false }
        deliver()
    }

    /// Starts a user-data outage: every user-data message is discarded from now on (Binance
    /// does not replay events missed during a disconnect); with `dropStreams` the user-data
    /// sockets are closed too (the bot reconnects). `endUserDataOutage()` ends it.
    public func beginUserDataOutage(dropStreams: Bool = true) {
        lock.withLock { _ in losingUserData = true }
        if dropStreams { dropUserDataStreams() }
    }

    /// Ends a user-data outage (messages are delivered again); with `dropStreams` the user-data
    /// sockets are closed once more, so the bot reconnects and resyncs after the gap.
    public func endUserDataOutage(dropStreams: Bool = true) {
        lock.withLock { _ in losingUserData = false }
        if dropStreams { dropUserDataStreams() }
    }

    /// Delivers every user-data message twice (`true`) or once (`false`).
    public func duplicateUserData(_ on: Bool) { lock.withLock { _ in duplicatingUserData = on } }

    /// Stops (`true`) or resumes (`false`) delivering market messages without closing the sockets:
    /// a stream that goes silent.
    public func muteMarketStreams(_ on: Bool) { lock.withLock { _ in mutedMarket = on } }

    /// The order in which the user-data messages of one fill go out (`ACCOUNT_UPDATE` after the
    /// trade, before it, or between its parts); see `UserDataOrder`.
    public func setUserDataOrder(_ order: UserDataOrder) { lock.withLock { _ in engine.userDataOrder = order } }
    /// Lists `listing.instrument.symbol` anew: published filters, status and contract type (a
    /// tick or step change, a trading halt, a delisting). New orders follow it at once.
    public func list(_ listing: VenueListing) {
        lock.withLock { _ in engine.listings[listing.instrument.symbol] = listing }
    }

    /// Sends `text` as it is on every user-data connection (fault: a malformed message, or one
    /// with absurd values, such as an open position with an entry price of 0).
    public func sendRawUserData(_ text: String) {
        lock.withLock { _ in engine.userOutbox.append(text) }
        deliver()
    }

    /// Sends `text` as it is on every market connection subscribed to `stream` (e.g.
    /// `atomusdt@markPrice@1s`; fault: a malformed message or absurd values).
    public func sendRawMarketMessage(_ text: String, stream: String) {
        lock.withLock { _ in engine.marketOutbox.append((stream: stream, text: text)) }
        deliver()
    }

    /// Closes every user-data WebSocket (the listen keys stay valid).
    public func dropUserDataStreams() { drop { if case .user = $0 { true } else { false } } }

    /// Closes every market-stream WebSocket.
    public func dropMarketStreams() { drop { if case .market = $0 { true } else { false } } }

    /// Expires every listen key now: `listenKeyExpired` on the user streams, which then close;
    /// keep-alives answer `-1125` until a new key is created.
    public func expireListenKeys() {
        lock.withLock { _ in engine.expireAllListenKeys() }
        deliver()
    }

    private func drop(_ matches: (ConnectionKind) -> Bool) {
        let targets: [Connection] = lock.withLock { _ in
            let selected = connections.filter { matches($0.value.kind) }
            for id in selected.keys { connections[id] = nil }
            return Array(selected.values)
        }
        for connection in targets {
            connection.continuation.yield(.close)
            connection.continuation.finish()
        }
        notifyWaiters()
    }

    // MARK: Inspection

    /// Every REST request received, in order.
    public var requests: [VenueRequestRecord] { lock.withLock { _ in log } }

    /// Counters for tests and `GET /venue/state`.
    public var observation: VenueObservation { lock.withLock { _ in currentObservation() } }

    /// Reads the engine (positions, orders) under the lock.
    public func inspect<T>(_ body: (VenueEngine) -> T) -> T { lock.withLock { _ in body(engine) } }

    /// Klines of `symbol` from before the path (`VenueEngine.loadKlineHistory`), for a warm-up back-fill.
    public func loadKlineHistory(_ candles: [Candle], symbol: Symbol) { lock.withLock { _ in engine.loadKlineHistory(candles, symbol: symbol) } }

    private func currentObservation() -> VenueObservation {
        var observation = counters
        observation.openUserStreams = connections.values.filter { if case .user = $0.kind { true } else { false } }.count
        observation.openMarketStreams = connections.values.filter { if case .market = $0.kind { true } else { false } }.count
        observation.requestCount = log.count
        observation.now = engine.now
        return observation
    }

    /// Suspends until `predicate` holds for the venue's counters (checked after every change).
    /// Returns at once when cancelled.
    public func waitUntil(_ predicate: @escaping @Sendable (VenueObservation) -> Bool) async {
        let id: Int = lock.withLock { _ in
            nextWaiterID += 1
            return nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready: Bool = lock.withLock { _ in
                    if predicate(currentObservation()) || Task.isCancelled { return true }
                    waiters[id] = Waiter(predicate: predicate, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { _ in waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }

    private func notifyWaiters() {
        let ready: [Waiter] = lock.withLock { _ in
            let observation = currentObservation()
            let matched = waiters.filter { $0.value.predicate(observation) }
            for id in matched.keys { waiters[id] = nil }
            return Array(matched.values)
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    // MARK: REST

    /// Answers one REST request: authentication, scripted faults, then the engine.
    public func respond(_ request: VenueRequest) -> VenueReply {
        let reply: VenueReply = lock.withLock { _ in
            let reply = answer(request)
            log.append(VenueRequestRecord(method: request.method, path: request.path, parameters: request.parameters,
                                          time: engine.now, status: reply.status))
            return reply
        }
        deliver()
        return reply
    }

    private func answer(_ request: VenueRequest) -> VenueReply {
        guard let security = VenueEngine.routes[request.route] else { return .error(.notFound) }
        let now = engine.now
        if let until = rateLimitedUntil, until > now {
            counters.requestsDuringBackOff += 1
            return .error(VenueError(status: 418, code: -1003,
                                     message: "Way too many requests; IP(127.0.0.1) banned until \(until.milliseconds). Please use the websocket for live updates to avoid bans."))
        }
        let limitHeaders: [String: String]
        switch limiter.admit(request, at: now) {
        case .refuse(let error, let violatedBackOff):
            if violatedBackOff { counters.requestsDuringBackOff += 1 }
            counters.rateLimitRefusals += 1
            return .error(error)
        case .serve(let headers):
            limitHeaders = headers
        }
        if let error = authenticator.check(request, security: security, serverTime: now) { return .error(error) }
        var unknownOutcome = false
        var dropConnection = false
        var malformed: String?
        var held = false
        if let position = faults.firstIndex(where: { $0.matches(request) }) {
            let fault = faults[position].fault
            faults[position].remaining -= 1
            if faults[position].remaining == 0 { faults.remove(at: position) }
            counters.faultsFired += 1
            switch fault {
            case .serverError(let status, let code, let message):
                return .error(VenueError(status: status, code: code, message: message))
            case .rateLimited(let seconds):
                rateLimitedUntil = now.advanced(by: .seconds(seconds))
                return .error(VenueError(status: 429, code: -1003,
                                         message: "Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute.",
                                         headers: ["Retry-After": String(seconds)]))
            case .timestampRejected:
                return .error(.timestampOutsideWindow)
            case .acceptedThenTimedOut:
                unknownOutcome = true
            case .acceptedThenConnectionLost:
                dropConnection = true
            case .malformedAnswer(let text):
                malformed = text
            case .slowAnswer:
                held = true
            }
        }
        var reply = engine.handle(request)
        if unknownOutcome {
            reply = .error(VenueError(status: 503, code: -1007, message: VenueFault.unknownStatusMessage))
        }
        reply.dropsConnection = dropConnection
        if let malformed, reply.status == 200 { reply.rawBody = malformed }
        if held {
            reply.heldUntilReleaseCount = counters.slowAnswersReleased
            counters.slowAnswersHeld += 1
        }
        for (name, value) in limitHeaders where reply.status == 200 || !name.hasPrefix("X-MBX-ORDER-COUNT") {
            reply.headers[name] = value
        }
        return reply
    }

    // MARK: WebSocket connections

    /// Opens a user-data connection for an active listen key; nil when the key is unknown.
    public func openUserStream(listenKey: String) -> (id: Int, messages: AsyncStream<Outbound>)? {
        let opened: (Int, AsyncStream<Outbound>)? = lock.withLock { _ in
            guard engine.isListenKeyActive(listenKey) else { return nil }
            counters.userStreamsOpened += 1
            return register(.user(listenKey: listenKey))
        }
        notifyWaiters()
        return opened
    }

    /// Opens a combined market-stream connection for `streams` (lower-case names).
    public func openMarketStream(streams: Set<String>) -> (id: Int, messages: AsyncStream<Outbound>) {
        let opened = lock.withLock { _ in
            counters.marketStreamsOpened += 1
            return register(.market(streams: streams))
        }
        notifyWaiters()
        return opened
    }

    private func register(_ kind: ConnectionKind) -> (Int, AsyncStream<Outbound>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outbound.self)
        nextConnectionID += 1
        connections[nextConnectionID] = Connection(kind: kind, continuation: continuation)
        return (nextConnectionID, stream)
    }

    /// The connection `id` ended (client closed, or after a drop).
    public func closeConnection(_ id: Int) {
        let connection = lock.withLock { _ in connections.removeValue(forKey: id) }
        connection?.continuation.finish()
        notifyWaiters()
    }

    /// Hands pending stream messages to the connections (user data may be held). Deliveries
    /// are serialised (`deliveryLock`, taken before `lock`): a batch drained first is handed over
    /// first, so concurrent changes never reorder a connection's messages (Binance's streams are
    /// ordered per connection; reordering is a fault the tests inject on purpose, not a race).
    func deliver() {
        deliveryLock.withLock { _ in handOver() }
        notifyWaiters()
    }

    private func handOver() {
        var sends: [(AsyncStream<Outbound>.Continuation, Outbound)] = []
        lock.withLock { _ in
            let (drainedUser, drainedMarket) = engine.drainOutboxes()
            let user = losingUserData ? [] : drainedUser
            let market = mutedMarket ? [] : drainedMarket
            counters.userMessagesLost += losingUserData ? drainedUser.count : 0
            heldUserData += duplicatingUserData ? user.flatMap { [$0, $0] } : user
            var userMessages: [String] = []
            if !holdingUserData {
                userMessages = heldUserData
                heldUserData = []
            }
            counters.userMessagesDelivered += userMessages.count
            for (id, connection) in connections {
                switch connection.kind {
                case .user(let key):
                    for message in userMessages { sends.append((connection.continuation, .text(message))) }
                    if !engine.isListenKeyActive(key) {
                        sends.append((connection.continuation, .close))
                        connections[id] = nil
                    }
                case .market(let streams):
                    for message in market where streams.contains(message.stream) {
                        sends.append((connection.continuation, .text(message.text)))
                    }
                }
            }
        }
        for (continuation, item) in sends {
            continuation.yield(item)
            if item == .close { continuation.finish() }
        }
    }
}
